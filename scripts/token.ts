/**
 * Prints a valid 30-minute API token for local use with curl:
 *   npm run token -- <userId> [--shard <id>]
 * With --shard the token carries that `shard` claim (a shard of worker/src/shards.ts);
 * without it, none, and the API picks the shard by a hash of the user id.
 * Signed with JWT_SECRET from the environment or the root .dev.vars.
 */
import { parseArgs } from "node:util";
import { isShardId, SHARDS } from "@todo/worker/shards";
import { mintToken } from "@todo/worker/token";
import { readDevVars } from "./lib/dev-vars.ts";

const USAGE = `usage: npm run token -- <userId> [--shard ${SHARDS.map((s) => s.id).join("|")}]`;
let userId: string | undefined;
let shard: string | undefined;
try {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { shard: { type: "string" } },
  });
  [userId] = positionals;
  shard = values.shard;
} catch (error) {
  console.error(`${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}
if (!userId || (shard !== undefined && !isShardId(shard))) {
  console.error(shard === undefined ? USAGE : `unknown shard "${shard}"\n${USAGE}`);
  process.exit(2);
}
const secret = process.env.JWT_SECRET ?? readDevVars(".dev.vars").JWT_SECRET;
if (!secret) {
  console.error("No JWT_SECRET: run `npm run dev` once to create .dev.vars, or set JWT_SECRET.");
  process.exit(2);
}
try {
  console.log(
    (await mintToken(userId, secret, undefined, isShardId(shard) ? shard : undefined)).token,
  );
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
