import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { mintToken } from "../src/auth/token.ts";
import worker from "../src/index.ts";
import type { Todo } from "../src/schemas/todo.ts";
import { hashShard, SHARDS, type Shard, type ShardId, shardById } from "../src/shards.ts";
import { call, goodClaims, newUserId, SECRET, shardDatabase, signClaims } from "./helpers.ts";

// Every request runs on one shard: the token's `shard` claim, else a hash of its `sub`.
// These read both databases to prove where rows land and that nothing crosses shards.

const INVALID_TOKEN = 'Bearer realm="todo-api", error="invalid_token"';
const UNAUTHORIZED_BODY = {
  error: { code: "unauthorized", message: "A valid bearer token is required" },
};

const WEUR = shardById("weur") as Shard;
const ENAM = shardById("enam") as Shard;

const tokenOn = async (userId: string, shard?: ShardId) =>
  (await mintToken(userId, SECRET, undefined, shard)).token;

/** How many todos of `userId` each shard's database holds, by shard id. */
async function storedPerShard(userId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const shard of SHARDS) {
    const row = await shardDatabase(shard)
      .prepare("SELECT count(*) AS n FROM todos WHERE user_id = ?")
      .bind(userId)
      .first<{ n: number }>();
    counts[shard.id] = row?.n ?? -1;
  }
  return counts;
}

const onlyOn = (shard: Shard, n: number) =>
  Object.fromEntries(SHARDS.map((each) => [each.id, each === shard ? n : 0]));

async function create(token: string, title: string): Promise<Todo> {
  const response = await call("/api/todos", { method: "POST", token, json: { title } });
  expect(response.status).toBe(201);
  return response.json();
}

/** A user id whose hash shard is `shard`, so a claimless token and a claim can disagree. */
function userHashedTo(shard: Shard): string {
  for (;;) {
    const id = newUserId();
    if (hashShard(id) === shard) return id;
  }
}

describe("the shard list", () => {
  it("binds a migrated database for every shard, two of them here", async () => {
    expect(SHARDS.map((shard) => shard.id)).toEqual(["weur", "enam"]);
    for (const shard of SHARDS) {
      const { results } = await shardDatabase(shard)
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'todos'")
        .all();
      expect(results).toHaveLength(1);
    }
  });

  it("hashes a user id to the same shard every time, and spreads ids over all shards", () => {
    const ids = Array.from({ length: 200 }, newUserId);
    for (const id of ids) expect(hashShard(id)).toBe(hashShard(id));
    const used = new Set(ids.map((id) => hashShard(id).id));
    expect(used).toEqual(new Set(SHARDS.map((shard) => shard.id)));
  });
});

describe("a token with a shard claim", () => {
  it.each(SHARDS.map((shard) => [shard.id, shard] as const))(
    "runs on %s: the todos land there and only there",
    async (_id, shard) => {
      const userId = newUserId();
      const token = await tokenOn(userId, shard.id);
      await create(token, "one");
      await create(token, "two");
      expect(await storedPerShard(userId)).toEqual(onlyOn(shard, 2));
      const list = await call("/api/todos", { token });
      expect((await list.json<{ counts: unknown }>()).counts).toEqual({ active: 2, completed: 0 });
    },
  );

  it("wins over the hash of its sub", async () => {
    const userId = userHashedTo(ENAM);
    await create(await tokenOn(userId, "weur"), "claimed");
    expect(await storedPerShard(userId)).toEqual(onlyOn(WEUR, 1));
  });

  it("is remembered with its shard: the same token again runs on the same shard", async () => {
    const userId = userHashedTo(WEUR);
    const token = await tokenOn(userId, "enam");
    for (let round = 0; round < 3; round++) await create(token, `round ${round}`);
    expect(await storedPerShard(userId)).toEqual(onlyOn(ENAM, 3));
  });
});

describe("a token without a shard claim", () => {
  it("runs on the shard its sub hashes to", async () => {
    for (const shard of SHARDS) {
      const userId = userHashedTo(shard);
      await create(await tokenOn(userId), "hashed");
      expect(await storedPerShard(userId)).toEqual(onlyOn(shard, 1));
    }
  });
});

describe("a token whose shard claim is not a configured shard id", () => {
  it.each([
    ["unknown", "apac"],
    ["in another case", "WEUR"],
    ["empty", ""],
    ["a number", 1],
    ["null", null],
    ["a list", ["weur"]],
    ["an object", { id: "weur" }],
    ["true", true],
  ])("is refused like any bad token when it is %s", async (_case, shard) => {
    const userId = newUserId();
    const token = await signClaims(goodClaims({ sub: userId, shard }));
    for (const request of [
      { method: "GET", path: "/api/me" },
      { method: "POST", path: "/api/todos", json: { title: "never stored" } },
    ]) {
      const response = await call(request.path, { ...request, token });
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toBe(INVALID_TOKEN);
      expect(await response.json()).toEqual(UNAUTHORIZED_BODY);
    }
    expect(await storedPerShard(userId)).toEqual(onlyOn(WEUR, 0));
  });

  it("stays refused when sent again (a refusal is never remembered)", async () => {
    const token = await signClaims(goodClaims({ shard: "nowhere" }));
    for (let round = 0; round < 2; round++) {
      expect((await call("/api/me", { token })).status).toBe(401);
    }
  });
});

describe("rows on another shard", () => {
  it("cannot be read, changed or deleted with a token for this shard, same sub or not", async () => {
    const owner = newUserId();
    const onEnam = await tokenOn(owner, "enam");
    const todo = await create(onEnam, "kept on enam");
    for (const token of [await tokenOn(owner, "weur"), await tokenOn(newUserId(), "weur")]) {
      expect((await call(`/api/todos/${todo.id}`, { token })).status).toBe(404);
      const patch = { method: "PATCH", token, json: { title: "changed" } };
      expect((await call(`/api/todos/${todo.id}`, patch)).status).toBe(404);
      const remove = { method: "DELETE", token };
      expect((await call(`/api/todos/${todo.id}`, remove)).status).toBe(404);
      const list = await (await call("/api/todos", { token })).json<{ items: Todo[] }>();
      expect(list.items.map((item) => item.id)).not.toContain(todo.id);
      const completeAll = { method: "POST", token, json: { completed: true } };
      await call("/api/todos/complete-all", completeAll);
      await call("/api/todos?status=all", { method: "DELETE", token });
      await call("/api/me", { method: "DELETE", token });
    }
    const stillThere = await call(`/api/todos/${todo.id}`, { token: onEnam });
    expect(await stillThere.json()).toEqual(todo);
    expect(await storedPerShard(owner)).toEqual(onlyOn(ENAM, 1));
  });
});

describe("erasure on shards", () => {
  it("DELETE /api/me erases on the caller's shard, and the scheduled purge runs on every shard", async () => {
    const users = SHARDS.map((shard) => ({ id: newUserId(), shard }));
    const erasedAt = Date.now();
    for (const user of users) {
      const token = await tokenOn(user.id, user.shard.id);
      await create(token, "before");
      expect((await call("/api/me", { method: "DELETE", token })).status).toBe(204);
      const erasure = await shardDatabase(user.shard)
        .prepare("SELECT count(*) AS n FROM erasures WHERE user_id = ?")
        .bind(user.id)
        .first<{ n: number }>();
      expect(erasure?.n).toBe(1);
      // A token minted before the erasure still works for a while, and creates again.
      await create(token, "after");
      expect(await storedPerShard(user.id)).toEqual(onlyOn(user.shard, 1));
    }
    await worker.scheduled(
      createScheduledController({ scheduledTime: new Date(erasedAt + 32 * 60_000) }),
      env,
    );
    for (const user of users) expect(await storedPerShard(user.id)).toEqual(onlyOn(WEUR, 0));
  });
});
