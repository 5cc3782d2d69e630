/**
 * Applies the todos migrations to every shard's remote D1 database, one after the other:
 *   npm run db:migrate:remote
 * The shard list is worker/src/shards.ts; each shard's binding is in wrangler.toml.
 * The auth database has its own command: npm run db:migrate:remote -w site.
 */
import { spawnSync } from "node:child_process";
import { SHARDS } from "../worker/src/shards.ts";
import { ROOT } from "./lib/process.ts";

for (const shard of SHARDS) {
  console.log(`\nShard ${shard.id} (${shard.binding}):`);
  const { status } = spawnSync(
    "wrangler",
    ["d1", "migrations", "apply", shard.binding, "--remote", ...process.argv.slice(2)],
    { cwd: ROOT, stdio: "inherit" },
  );
  if (status !== 0) {
    console.error(`Migrating shard ${shard.id} failed; the shards after it were not migrated.`);
    process.exit(status ?? 1);
  }
}
