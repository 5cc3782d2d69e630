import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { SHARDS } from "../../src/shards.ts";

// Setup files may run more than once; applyD1Migrations skips what is applied.
for (const shard of SHARDS) await applyD1Migrations(env[shard.binding], env.TEST_MIGRATIONS);
