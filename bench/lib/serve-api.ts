import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { WorkerBundle } from "./build.ts";
import { PORTS } from "./config.ts";
import { prepareD1, seedRows } from "./seed.ts";
import { type ServedWorker, serveWorker } from "./serve-worker.ts";
import type { WorkerConfig } from "./worker-config.ts";

/**
 * Serves the API's production bundle on workerd with a fresh local D1: the real
 * migrations applied, both bench users seeded.
 */
export async function serveApi(options: {
  config: WorkerConfig;
  bundle: WorkerBundle;
  jwtSecret: string;
  port?: number;
  rows?: ReturnType<typeof seedRows>;
}): Promise<ServedWorker> {
  const { config } = options;
  const database = config.d1Databases[0];
  if (!database) throw new Error("the API's wrangler config binds no D1 database");
  const persistDir = mkdtempSync(path.join(tmpdir(), "todo-bench-d1-"));
  const served = await serveWorker({
    name: config.name,
    bundle: options.bundle,
    compatibilityDate: config.compatibilityDate,
    compatibilityFlags: config.compatibilityFlags,
    port: options.port ?? PORTS.api,
    persistDir,
    env: {
      [database.binding]: { type: "d1", id: database.id },
      JWT_SECRET: { type: "text", value: options.jwtSecret },
      JWT_SECRET_PREVIOUS: { type: "text", value: "" },
    },
  });
  const api = {
    ...served,
    close: async () => {
      await served.close();
      rmSync(persistDir, { recursive: true, force: true });
    },
  };
  try {
    const db = await api.miniflare.getD1Database(database.binding);
    await prepareD1(db, database.migrationsDir, options.rows ?? seedRows());
  } catch (error) {
    await api.close();
    throw error;
  }
  return api;
}
