/**
 * A built Worker on workerd through Miniflare, on a direct socket to the Worker: neither
 * Miniflare's entry Worker (about 3× the cost in throughput) nor wrangler dev's Node proxy
 * in the path. Its D1s are fresh and migrated with their real migrations; its log lines are
 * drained and dropped, as in production. The load test and the bench serve through it.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { Log, LogLevel, Miniflare } from "miniflare";
import type { WorkerBundle } from "./build-worker.ts";
import { migrate } from "./migrate-d1.ts";
import { assertPortFree } from "./process.ts";
import type { WorkerConfig } from "./worker-config.ts";

const HOST = "127.0.0.1";

export type D1 = Awaited<ReturnType<Miniflare["getD1Database"]>>;
type Database = WorkerConfig["d1Databases"][number];
type Binding = { type: "text"; value: string } | { type: "d1"; id: string };

/** A port the system says is free now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export type WorkerSpec = {
  name: string;
  bundle: WorkerBundle;
  config: Pick<WorkerConfig, "compatibilityDate" | "compatibilityFlags">;
  env: Record<string, string>;
  /** A free one when not given. */
  port?: number;
  /** Fresh local D1s, each bound as its `binding` and migrated. */
  databases?: Database[];
  /** Static assets in front, behind an `ASSETS` binding (the site's). */
  assetsDir?: string;
  /** V8's inspector on a free port, for CPU profiles of the served Worker. */
  inspect?: boolean;
};

export type ServedWorker = {
  url: string;
  /** Where V8's inspector listens, when asked for. */
  inspectorPort: number | undefined;
  /** The Worker's D1s by binding, to read and fill past the Worker until it is closed. */
  databases: Map<string, D1>;
  /** Stops workerd and deletes the D1s' data. */
  close: () => Promise<void>;
};

export async function serveWorker(spec: WorkerSpec): Promise<ServedWorker> {
  const port = spec.port ?? (await freePort());
  await assertPortFree(HOST, port);
  const databases = spec.databases ?? [];
  const persist = databases.length > 0 ? mkdtempSync(path.join(tmpdir(), "todo-d1-")) : undefined;
  const inspectorPort = spec.inspect ? await freePort() : undefined;
  const env: Record<string, Binding> = Object.fromEntries(
    Object.entries(spec.env).map(([name, value]) => [name, { type: "text", value }]),
  );
  for (const { binding, id } of databases) env[binding] = { type: "d1", id };
  const modules = spec.bundle.modules.map((name) => {
    const contents = readFileSync(path.join(spec.bundle.dir, name), "utf8");
    return [name, { type: "esm", contents }] as const;
  });
  const miniflare = new Miniflare({
    host: HOST,
    port: 0,
    cf: false,
    logRequests: false,
    enableDevRegistry: false,
    log: new Log(LogLevel.WARN),
    handleStructuredLogs: () => {},
    resourcePersistencePath: persist,
    inspectorPort,
    workers: [
      {
        config: {
          name: spec.name,
          compatibilityDate: spec.config.compatibilityDate,
          compatibilityFlags: spec.config.compatibilityFlags,
          manifest: { mainModule: spec.bundle.mainModule, modules: Object.fromEntries(modules) },
          env: spec.assetsDir ? { ...env, ASSETS: { type: "assets" } } : env,
          ...(spec.assetsDir ? { assets: { directory: spec.assetsDir, hasUserWorker: true } } : {}),
        },
        dev: { unsafeDirectSockets: [{ host: HOST, port }] },
      },
    ],
  });
  const close = async () => {
    await miniflare.dispose();
    if (persist) rmSync(persist, { recursive: true, force: true });
  };
  try {
    await miniflare.ready;
    const served = new Map<string, D1>();
    for (const { binding, migrationsDir } of databases) {
      const db = await miniflare.getD1Database(binding);
      await migrate(db, migrationsDir);
      served.set(binding, db);
    }
    return { url: `http://${HOST}:${port}`, inspectorPort, databases: served, close };
  } catch (error) {
    await close();
    throw error;
  }
}
