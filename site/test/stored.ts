/** What the stack has stored for a person, read past the site: the API's todos and the auth rows. */
import { isShardId, SHARDS } from "@todo/worker/shards";
import { mintToken } from "@todo/worker/token";
import { expect } from "vitest";
import type { Browser } from "./browser.ts";
import { JWT_SECRET, type Stack } from "./stack.ts";

/** The signed-in person's user id, from Better Auth's session endpoint. */
export const userIdOf = async (browser: Browser) => {
  const response = await browser.get("/api/auth/get-session");
  return ((await response.json()) as { user: { id: string } }).user.id;
};

/** The home shard the auth database holds for a user (undefined: none). */
export async function homeShard(on: Stack, userId: string) {
  const row = await (await on.authDb())
    .prepare(`SELECT shard FROM "user" WHERE id = ?1`)
    .bind(userId)
    .first<{ shard: string | null }>();
  return isShardId(row?.shard) ? row.shard : undefined;
}

/** Each shard's database of the API, by shard id. */
export async function shardDatabases(on: Stack): Promise<Record<string, D1Database>> {
  const env = await on.harness.getWorker("todo-api").getEnv();
  return Object.fromEntries(SHARDS.map((shard) => [shard.id, env[shard.binding] as D1Database]));
}

/** The titles of a user's todos, asked of the API directly with a token for that user id. */
export async function todosInApi(on: Stack, userId: string): Promise<string[]> {
  const { token } = await mintToken(userId, JWT_SECRET, undefined, await homeShard(on, userId));
  const response = await on.api("/api/todos?status=all", {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { items: { title: string }[] }).items.map((t) => t.title);
}

/** Whether the API recorded an erasure of this user id (`DELETE /api/me`), for its scheduled purge. */
export async function erasureRecorded(on: Stack, userId: string): Promise<boolean> {
  let recorded = 0;
  for (const db of Object.values(await shardDatabases(on))) {
    const row = await db
      .prepare("SELECT count(*) AS n FROM erasures WHERE user_id = ?1")
      .bind(userId)
      .first<{ n: number }>();
    recorded += row?.n ?? 0;
  }
  return recorded === 1;
}

/** Rows that belong to a user in the auth database: the user, their sessions and accounts. */
export async function authRows(on: Stack, userId: string) {
  const db = await on.authDb();
  const count = async (sql: string) =>
    (await db.prepare(sql).bind(userId).first<{ n: number }>())?.n ?? 0;
  return {
    user: await count(`SELECT count(*) AS n FROM "user" WHERE id = ?1`),
    sessions: await count(`SELECT count(*) AS n FROM "session" WHERE userId = ?1`),
    accounts: await count(`SELECT count(*) AS n FROM "account" WHERE userId = ?1`),
  };
}

/** How many users have this email. */
export async function usersWithEmail(on: Stack, email: string): Promise<number> {
  const db = await on.authDb();
  const row = await db
    .prepare(`SELECT count(*) AS n FROM "user" WHERE email = ?1`)
    .bind(email)
    .first<{ n: number }>();
  return row?.n ?? 0;
}
