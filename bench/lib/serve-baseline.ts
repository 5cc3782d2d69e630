import { bundleAt } from "../../scripts/lib/build-worker.ts";
import type { WorkerConfig } from "../../scripts/lib/worker-config.ts";
import { PORTS, USERS } from "./config.ts";
import type { seedRows } from "./seed.ts";
import { apiDatabase } from "./serve-api.ts";
import { serveWithSeededD1 } from "./serve-with-d1.ts";
import { type ServedWorker, serveWorker } from "./serve-worker.ts";

const baselineBundle = (name: string) =>
  bundleAt(new URL(`../baseline/${name}/`, import.meta.url).pathname, "worker.js");

/** The bare Worker, served exactly as the API is, answering every request with `body`. */
export const serveBareWorker = (config: WorkerConfig, body: string): Promise<ServedWorker> =>
  serveWorker({
    name: "bare",
    bundle: baselineBundle("bare"),
    compatibilityDate: config.compatibilityDate,
    compatibilityFlags: config.compatibilityFlags,
    port: PORTS.bare,
    env: { BODY: { type: "text", value: body } },
  });

/**
 * The bare D1 Worker: runs the API's own statements on the same seeded D1 (GET: the list's
 * batch for the reader; POST: the create for the writer), the floor for those routes.
 */
export const serveD1ListWorker = (
  config: WorkerConfig,
  rows: ReturnType<typeof seedRows>,
  inspectorPort?: number,
): Promise<ServedWorker> =>
  serveWithSeededD1(
    {
      name: "d1-list",
      bundle: baselineBundle("d1-list"),
      compatibilityDate: config.compatibilityDate,
      compatibilityFlags: config.compatibilityFlags,
      port: PORTS.d1List,
      ...(inspectorPort ? { inspectorPort } : {}),
      env: {
        USER_ID: { type: "text", value: USERS.reader },
        WRITER_ID: { type: "text", value: USERS.writer },
      },
    },
    apiDatabase(config),
    rows,
  );

/** A Worker that writes `?n=` request log lines per request: what one costs workerd. */
export const serveLogLinesWorker = (config: WorkerConfig, port: number): Promise<ServedWorker> =>
  serveWorker({
    name: "log-lines",
    bundle: baselineBundle("log-lines"),
    compatibilityDate: config.compatibilityDate,
    compatibilityFlags: config.compatibilityFlags,
    port,
    env: {},
  });
