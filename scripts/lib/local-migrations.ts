import path from "node:path";
import type { AnyD1Database } from "drizzle-orm/d1";
import { d1Proxy } from "./d1-proxy.ts";
import { applyDevAuthMigrations } from "./dev-migrations.ts";
import { migrate } from "./migrate-d1.ts";
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
  await Promise.all([
    migrateConfig("wrangler.toml", state("api", ".")),
    migrateConfig(SITE_CONFIG, state("site", "site"), (env) =>
      applyDevAuthMigrations(env.AUTH_DB as AnyD1Database),
    ),
  ]);
}

/** Migrates every D1 database of a wrangler config on the data at `persistTo`, then `then`. */
async function migrateConfig(
  configFile: string,
  persistTo: string,
  then?: (env: Record<string, AnyD1Database>) => Promise<void>,
): Promise<void> {
  const proxy = await d1Proxy(configFile, persistTo, false);
  try {
    for (const { binding, migrationsDir } of readWorkerConfig(configFile).d1Databases) {
      await migrate(proxy.env[binding] as AnyD1Database, migrationsDir);
    }
    await then?.(proxy.env);
  } finally {
    await proxy.dispose();
  }
}
