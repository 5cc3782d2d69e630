import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { WorkerConfig } from "../../scripts/lib/worker-config.ts";
import { prepareD1, type seedRows } from "./seed.ts";
import { type ServedWorker, serveWorker, type WorkerSpec } from "./serve-worker.ts";

/**
 * Serves a Worker with a fresh local D1 bound as the config's first database: the real
 * migrations applied and `rows` inserted. The data is deleted on close.
 */
export async function serveWithSeededD1(
  spec: Omit<WorkerSpec, "persistDir">,
  database: WorkerConfig["d1Databases"][number],
  rows: ReturnType<typeof seedRows>,
): Promise<ServedWorker> {
  const persistDir = mkdtempSync(path.join(tmpdir(), "todo-bench-d1-"));
  const served = await serveWorker({
    ...spec,
    persistDir,
    env: { ...spec.env, [database.binding]: { type: "d1", id: database.id } },
  });
  const worker = {
    ...served,
    close: async () => {
      await served.close();
      rmSync(persistDir, { recursive: true, force: true });
    },
  };
  try {
    await prepareD1(
      await worker.miniflare.getD1Database(database.binding),
      database.migrationsDir,
      rows,
    );
  } catch (error) {
    await worker.close();
    throw error;
  }
  return worker;
}
