/**
 * Serves the API's production bundle on workerd through Miniflare, on a direct socket,
 * with a fresh local D1 for every shard (the real migrations applied to each). The data
 * is deleted on close; the databases stay readable for checks until then.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Log, LogLevel, Miniflare } from "miniflare";
import type { WorkerBundle } from "../../scripts/lib/build-worker.ts";
import { assertPortFree } from "../../scripts/lib/process.ts";
import type { WorkerConfig } from "../../scripts/lib/worker-config.ts";
import { SHARDS } from "../../worker/src/shards.ts";

const HOST = "127.0.0.1";

type D1 = Awaited<ReturnType<Miniflare["getD1Database"]>>;

/** The migration files of a directory, in order, each split at drizzle-kit's breakpoints. */
function migrationBatches(dir: string): string[][] {
  return readdirSync(dir)
    .filter((file) => file.endsWith(".sql"))
    .sort()
    .map((file) =>
      readFileSync(path.join(dir, file), "utf8")
        .split("--> statement-breakpoint")
        .map((statement) => statement.trim())
        .filter(Boolean),
    );
}

export type ServedShards = {
  url: string;
  /** Each shard's database, by shard id, read past the API. */
  databases: Map<string, D1>;
  close: () => Promise<void>;
};

export async function serveShardedApi(options: {
  config: WorkerConfig;
  bundle: WorkerBundle;
  jwtSecret: string;
  port: number;
}): Promise<ServedShards> {
  await assertPortFree(HOST, options.port);
  const persistDir = mkdtempSync(path.join(tmpdir(), "todo-load-d1-"));
  const databases = options.config.d1Databases;
  const { bundle } = options;
  const miniflare = new Miniflare({
    host: HOST,
    port: 0,
    cf: false,
    logRequests: false,
    enableDevRegistry: false,
    log: new Log(LogLevel.WARN),
    handleStructuredLogs: () => {},
    resourcePersistencePath: persistDir,
    workers: [
      {
        config: {
          name: options.config.name,
          compatibilityDate: options.config.compatibilityDate,
          compatibilityFlags: options.config.compatibilityFlags,
          manifest: {
            mainModule: bundle.mainModule,
            modules: Object.fromEntries(
              bundle.modules.map((name) => [
                name,
                { type: "esm", contents: readFileSync(path.join(bundle.dir, name), "utf8") },
              ]),
            ),
          },
          env: {
            JWT_SECRET: { type: "text", value: options.jwtSecret },
            JWT_SECRET_PREVIOUS: { type: "text", value: "" },
            ...Object.fromEntries(databases.map((d1) => [d1.binding, { type: "d1", id: d1.id }])),
          },
        },
        dev: { unsafeDirectSockets: [{ host: HOST, port: options.port }] },
      },
    ],
  });
  const close = async () => {
    await miniflare.dispose();
    rmSync(persistDir, { recursive: true, force: true });
  };
  try {
    await miniflare.ready;
    const byShard = new Map<string, D1>();
    for (const shard of SHARDS) {
      const entry = databases.find((d1) => d1.binding === shard.binding);
      if (!entry) throw new Error(`wrangler.toml binds no database for shard ${shard.id}`);
      const db = await miniflare.getD1Database(shard.binding);
      for (const batch of migrationBatches(entry.migrationsDir)) {
        await db.batch(batch.map((statement) => db.prepare(statement)));
      }
      byShard.set(shard.id, db);
    }
    return { url: `http://${HOST}:${options.port}`, databases: byShard, close };
  } catch (error) {
    await close();
    throw error;
  }
}
