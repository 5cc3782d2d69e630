import { readFileSync } from "node:fs";
import path from "node:path";
import { Log, LogLevel, Miniflare } from "miniflare";
import type { WorkerBundle } from "../../scripts/lib/build-worker.ts";
import { assertPortFree } from "../../scripts/lib/process.ts";
import { HOST } from "./config.ts";
import { childPids } from "./cpu.ts";

export type Binding = { type: "text"; value: string } | { type: "d1"; id: string };

export type WorkerSpec = {
  name: string;
  bundle: WorkerBundle;
  compatibilityDate: string;
  compatibilityFlags: string[];
  env: Record<string, Binding>;
  port: number;
  /** Where D1 data lives; a fresh temp dir gives a fresh database. */
  persistDir?: string;
  /** Static assets behind an `ASSETS` binding (the site's). */
  assetsDir?: string;
  /** Opens V8's inspector on this port (for CPU profiles of the served Worker). */
  inspectorPort?: number;
};

export type ServedWorker = {
  url: string;
  /** The workerd process serving it, for CPU accounting. */
  pid: number | undefined;
  miniflare: Miniflare;
  /** How many lines the Worker has logged (they are drained, not printed). */
  logLines: () => number;
  close: () => Promise<void>;
};

/**
 * Serves one Worker on workerd through Miniflare, on a direct socket to the Worker:
 * Miniflare's own entry Worker (which costs about 3× in throughput) stays out of the path,
 * as does wrangler dev's Node proxy.
 */
export async function serveWorker(spec: WorkerSpec): Promise<ServedWorker> {
  await assertPortFree(HOST, spec.port);
  const before = new Set(childPids("workerd"));
  let logLines = 0;
  const miniflare = new Miniflare({
    host: HOST,
    port: 0,
    cf: false,
    logRequests: false,
    enableDevRegistry: false,
    log: new Log(LogLevel.WARN),
    handleStructuredLogs: () => {
      logLines++;
    },
    ...(spec.persistDir ? { resourcePersistencePath: spec.persistDir } : {}),
    ...(spec.inspectorPort ? { inspectorPort: spec.inspectorPort } : {}),
    workers: [
      {
        config: {
          name: spec.name,
          compatibilityDate: spec.compatibilityDate,
          compatibilityFlags: spec.compatibilityFlags,
          manifest: {
            mainModule: spec.bundle.mainModule,
            modules: Object.fromEntries(
              spec.bundle.modules.map((name) => [
                name,
                { type: "esm", contents: readFileSync(path.join(spec.bundle.dir, name), "utf8") },
              ]),
            ),
          },
          env: spec.assetsDir ? { ...spec.env, ASSETS: { type: "assets" } } : spec.env,
          ...(spec.assetsDir ? { assets: { directory: spec.assetsDir, hasUserWorker: true } } : {}),
        },
        dev: { unsafeDirectSockets: [{ host: HOST, port: spec.port }] },
      },
    ],
  });
  await miniflare.ready;
  return {
    url: `http://${HOST}:${spec.port}`,
    pid: childPids("workerd").find((pid) => !before.has(pid)),
    miniflare,
    logLines: () => logLines,
    close: () => miniflare.dispose(),
  };
}
