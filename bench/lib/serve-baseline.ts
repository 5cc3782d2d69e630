import { bundleAt } from "./build.ts";
import { PORTS } from "./config.ts";
import { type ServedWorker, serveWorker } from "./serve-worker.ts";
import type { WorkerConfig } from "./worker-config.ts";

const BASELINE_DIR = new URL("../baseline/", import.meta.url).pathname;

/** The bare baseline Worker, served exactly as the API is, answering with `body`. */
export const serveBaseline = (config: WorkerConfig, body: string): Promise<ServedWorker> =>
  serveWorker({
    name: "baseline",
    bundle: bundleAt(BASELINE_DIR, "worker.js"),
    compatibilityDate: config.compatibilityDate,
    compatibilityFlags: config.compatibilityFlags,
    port: PORTS.baseline,
    env: { BODY: { type: "text", value: body } },
  });
