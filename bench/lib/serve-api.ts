import type { WorkerBundle } from "../../scripts/lib/build-worker.ts";
import type { WorkerConfig } from "../../scripts/lib/worker-config.ts";
import { PORTS } from "./config.ts";
import { seedRows } from "./seed.ts";
import { serveWithSeededD1 } from "./serve-with-d1.ts";
import type { ServedWorker } from "./serve-worker.ts";

/** The API's database as its wrangler config binds it. */
export function apiDatabase(config: WorkerConfig): WorkerConfig["d1Databases"][number] {
  const database = config.d1Databases[0];
  if (!database) throw new Error("the API's wrangler config binds no D1 database");
  return database;
}

/**
 * Serves the API's production bundle on workerd with a fresh local D1: the real
 * migrations applied, both bench users seeded.
 */
export const serveApi = (options: {
  config: WorkerConfig;
  bundle: WorkerBundle;
  jwtSecret: string;
  port?: number;
  inspectorPort?: number;
  rows?: ReturnType<typeof seedRows>;
}): Promise<ServedWorker> =>
  serveWithSeededD1(
    {
      name: options.config.name,
      bundle: options.bundle,
      compatibilityDate: options.config.compatibilityDate,
      compatibilityFlags: options.config.compatibilityFlags,
      port: options.port ?? PORTS.api,
      ...(options.inspectorPort ? { inspectorPort: options.inspectorPort } : {}),
      env: {
        JWT_SECRET: { type: "text", value: options.jwtSecret },
        JWT_SECRET_PREVIOUS: { type: "text", value: "" },
        // Every shard on the one seeded database: the bench measures one database.
        ...Object.fromEntries(
          options.config.d1Databases.map((d1) => [
            d1.binding,
            { type: "d1" as const, id: apiDatabase(options.config).id },
          ]),
        ),
      },
    },
    apiDatabase(options.config),
    options.rows ?? seedRows(),
  );
