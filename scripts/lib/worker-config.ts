import path from "node:path";
import { unstable_readConfig } from "wrangler";
import type { DeployConfig } from "./deploy-config-rules.ts";
import { ROOT } from "./process.ts";

export type WorkerConfig = {
  name: string;
  /** The entry module as configured (source for the API, built output for the site). */
  main: string;
  compatibilityDate: string;
  compatibilityFlags: string[];
  d1Databases: { binding: string; id: string; migrationsDir: string }[];
};

type D1Config = { binding: string; database_id?: string; migrations_dir?: string };

/** A wrangler config as wrangler itself reads it, for the deploy rules (scripts/lib/deploy-config-rules.ts). */
export function readWorkerConfigFile(configFile: string): DeployConfig {
  return unstable_readConfig({ config: path.resolve(ROOT, configFile) });
}

/** What serving a Worker needs from its wrangler config, read by wrangler itself (one source of truth). */
export function readWorkerConfig(configFile: string): WorkerConfig {
  const configPath = path.resolve(ROOT, configFile);
  const config = unstable_readConfig({ config: configPath });
  if (!config.compatibility_date) throw new Error(`${configFile} sets no compatibility_date`);
  return {
    name: config.name ?? "worker",
    main: config.main ?? "index.js",
    compatibilityDate: config.compatibility_date,
    compatibilityFlags: config.compatibility_flags,
    d1Databases: config.d1_databases.map((database: D1Config) => ({
      binding: database.binding,
      id: database.database_id ?? database.binding,
      migrationsDir: path.resolve(
        path.dirname(configPath),
        database.migrations_dir ?? "migrations",
      ),
    })),
  };
}
