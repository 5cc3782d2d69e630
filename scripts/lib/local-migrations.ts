import path from "node:path";
import type { AnyD1Database } from "drizzle-orm/d1";
import { d1Proxy } from "./d1-proxy.ts";
import { devAuthMigrationFiles } from "./dev-migrations.ts";
import { migrate, runSqlFile } from "./migrate-d1.ts";
import { ROOT } from "./process.ts";
import { readWorkerConfig } from "./worker-config.ts";

const SITE_CONFIG = "site/wrangler.jsonc";

/**
 * Migrates the local stack's databases as `npm run dev` keeps them: every todo shard of
 * the API, then the site's auth database and its local-only tables (the dev mailbox). The
 * API's and the site's at once, each through one platform proxy (scripts/lib/migrate-d1.ts).
 * @param persistDir - where local D1 data lives; defaults to each Worker's .wrangler/state
 */
export async function migrateLocalStack(persistDir?: string): Promise<void> {
  const state = (name: string, configDir: string) =>
    persistDir ? path.resolve(persistDir, name) : path.join(ROOT, configDir, ".wrangler/state");
  const withProxy = async (
    configFile: string,
    persistTo: string,
    work: (env: Record<string, AnyD1Database>) => Promise<void>,
  ) => {
    const proxy = await d1Proxy(configFile, persistTo, false);
    try {
      await work(proxy.env);
    } finally {
      await proxy.dispose();
    }
  };
  const databases = (configFile: string) => readWorkerConfig(configFile).d1Databases;
  await Promise.all([
    withProxy("wrangler.toml", state("api", "."), async (env) => {
      for (const { binding, migrationsDir } of databases("wrangler.toml")) {
        await migrate(env[binding] as AnyD1Database, migrationsDir);
      }
    }),
    withProxy(SITE_CONFIG, state("site", "site"), async (env) => {
      for (const { binding, migrationsDir } of databases(SITE_CONFIG)) {
        await migrate(env[binding] as AnyD1Database, migrationsDir);
      }
      const auth = env.AUTH_DB as AnyD1Database;
      for (const file of devAuthMigrationFiles()) await runSqlFile(auth, path.join(ROOT, file));
    }),
  ]);
}
