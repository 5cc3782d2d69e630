/**
 * Moves one person's todos to another shard and makes it their home:
 *   npm run shard:move -- <userId> <shard> [--remote]
 *
 * 1. records the move on the old shard (what a token minted before the move writes
 *    there is carried over by the API's scheduled handler for 31 minutes);
 * 2. copies the todos and idempotency keys to the new shard, in batches;
 * 3. sets the person's home (`user.shard`) in the auth database: the site's next page
 *    view mints a token for the new shard;
 * 4. deletes from the old shard exactly the rows it copied (a row changed there since is
 *    copied again first).
 *
 * Safe to run again after a failure. Local by default, on the databases `npm run dev`
 * uses (PERSIST_DIR as in dev); --remote works on the deployed databases (wrangler login).
 */
import path from "node:path";
import { parseArgs } from "node:util";
import type { AnyD1Database } from "drizzle-orm/d1";
import { cancelMove, copyRows, moveRows, recordMove, todoCount } from "../worker/src/db/move.ts";
import { hashShard, isShardId, SHARDS, type Shard, shardById } from "../worker/src/shards.ts";
import { d1Proxy } from "./lib/d1-proxy.ts";
import { ROOT } from "./lib/process.ts";

const USAGE = `usage: npm run shard:move -- <userId> <${SHARDS.map((s) => s.id).join("|")}> [--remote]`;

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

let userId: string | undefined;
let target: Shard | undefined;
let remote = false;
try {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { remote: { type: "boolean", default: false } },
  });
  [userId] = positionals;
  if (positionals.length !== 2 || !userId) fail("a user id and a shard id are needed");
  if (!isShardId(positionals[1])) fail(`unknown shard "${positionals[1]}"`);
  target = shardById(positionals[1]);
  remote = values.remote ?? false;
} catch (error) {
  fail((error as Error).message);
}
if (!userId || !target) fail("a user id and a shard id are needed");

const persistDir = process.env.PERSIST_DIR;
const api = await d1Proxy(
  "wrangler.toml",
  persistDir ? path.resolve(persistDir, "api") : path.join(ROOT, ".wrangler/state"),
  remote,
);
const site = await d1Proxy(
  "site/wrangler.jsonc",
  persistDir ? path.resolve(persistDir, "site") : path.join(ROOT, "site/.wrangler/state"),
  remote,
);
let exitCode = 0;
try {
  const auth = site.env.AUTH_DB as AnyD1Database;
  const user = await auth
    .prepare(`SELECT shard FROM "user" WHERE id = ?1`)
    .bind(userId)
    .first<{ shard: string | null }>();
  if (user === null) throw new Error(`no user ${userId} in the auth database`);
  const from = shardById(user.shard) ?? hashShard(userId);
  const fromDb = api.env[from.binding] as AnyD1Database;
  const toDb = api.env[target.binding] as AnyD1Database;

  if (from === target) {
    await auth.prepare(`UPDATE "user" SET shard = ?1 WHERE id = ?2`).bind(target.id, userId).run();
    console.log(`${userId} already lives on ${target.id}; nothing to move.`);
  } else {
    console.log(`Moving ${userId} from ${from.id} to ${target.id}${remote ? " (remote)" : ""}…`);
    await recordMove(fromDb, userId, target.id);
    await cancelMove(toDb, userId);
    const copied = await copyRows(fromDb, toDb, userId);
    console.log(`  copied ${copied} rows (todos and idempotency keys) to ${target.id}`);
    await auth.prepare(`UPDATE "user" SET shard = ?1 WHERE id = ?2`).bind(target.id, userId).run();
    console.log(`  home set to ${target.id} in the auth database`);
    const deleted = await moveRows(fromDb, toDb, userId);
    console.log(`  deleted ${deleted} copied rows from ${from.id}`);
    const [left, there] = [await todoCount(fromDb, userId), await todoCount(toDb, userId)];
    console.log(`Done: ${there} todos on ${target.id}, ${left} left on ${from.id}.`);
    console.log(
      "Tokens minted before the move keep working until they expire; what they write on " +
        `${from.id} is carried over by the scheduled handler within 32 minutes.`,
    );
  }
} catch (error) {
  console.error(`shard:move failed: ${(error as Error).message}`);
  exitCode = 1;
} finally {
  await api.dispose();
  await site.dispose();
}
process.exit(exitCode);
