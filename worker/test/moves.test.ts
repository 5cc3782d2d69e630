import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { mintToken } from "../src/auth/token.ts";
import { cancelMove, moveRows, recordMove, todoCount } from "../src/db/move.ts";
import worker from "../src/index.ts";
import type { Todo } from "../src/schemas/todo.ts";
import { type ShardId, shardById } from "../src/shards.ts";
import { call, newUserId, SECRET, shardDatabase } from "./helpers.ts";

// Moving a person between shards (npm run shard:move runs moveRows between the two
// databases), and the scheduled carry-over of what a token minted before the move writes.

const MINUTE = 60_000;
const weur = shardDatabase(shardById("weur") ?? raise());
const enam = shardDatabase(shardById("enam") ?? raise());

function raise(): never {
  throw new Error("the test shards weur and enam must be configured");
}

const tokenOn = async (userId: string, shard: ShardId) =>
  (await mintToken(userId, SECRET, undefined, shard)).token;

async function create(token: string, title: string, headers: Record<string, string> = {}) {
  const response = await call("/api/todos", { method: "POST", token, json: { title }, headers });
  expect(response.status).toBe(201);
  return response.json<Todo>();
}

async function list(token: string) {
  const response = await call("/api/todos?limit=100", { token });
  return response.json<{ items: Todo[]; counts: { active: number; completed: number } }>();
}

const runScheduled = (at: Date) =>
  worker.scheduled(createScheduledController({ scheduledTime: at, cron: "* * * * *" }), env);

async function moveRecorded(db: D1Database, userId: string): Promise<string | null> {
  const row = await db
    .prepare("SELECT to_shard FROM moves WHERE user_id = ?")
    .bind(userId)
    .first<{ to_shard: string }>();
  return row?.to_shard ?? null;
}

describe("moving a person's rows", () => {
  it("copies every todo and key in batches, keeps their order and counts, and leaves nothing behind", async () => {
    const userId = newUserId();
    const [before, after] = [await tokenOn(userId, "weur"), await tokenOn(userId, "enam")];
    const keyed = await create(before, "keyed", { "Idempotency-Key": "move-key" });
    for (const title of ["two", "three", "four", "five"]) await create(before, title);
    const done = (await list(before)).items[1] as Todo;
    await call(`/api/todos/${done.id}`, {
      method: "PATCH",
      token: before,
      json: { completed: true },
    });
    const listed = await list(before);
    const other = await create(await tokenOn(newUserId(), "weur"), "someone else's");

    expect(await moveRows(weur, enam, userId, { batchRows: 2 })).toBe(6);

    expect(await todoCount(weur, userId)).toBe(0);
    expect(await todoCount(enam, userId)).toBe(5);
    expect(await list(after)).toEqual(listed);
    expect(listed.counts).toEqual({ active: 4, completed: 1 });
    expect((await list(before)).counts).toEqual({ active: 0, completed: 0 });
    // The key moved too: resending the create on the new shard answers the first todo.
    const replay = await call("/api/todos", {
      method: "POST",
      token: after,
      json: { title: "keyed" },
      headers: { "Idempotency-Key": "move-key" },
    });
    expect(replay.status).toBe(201);
    expect(await replay.json()).toEqual(keyed);
    expect(await todoCount(enam, userId)).toBe(5);
    // Nobody else's rows moved.
    expect((await call(`/api/todos/${other.id}`, { token: before })).status).toBe(404);
    expect(await weur.prepare("SELECT 1 FROM todos WHERE id = ?").bind(other.id).first()).not.toBe(
      null,
    );
  });

  it("keeps the newer version of a todo already on the new shard, and never another user's row", async () => {
    const userId = newUserId();
    const after = await tokenOn(userId, "enam");
    const todo = await create(await tokenOn(userId, "weur"), "old title");
    await moveRows(weur, enam, userId);
    await call(`/api/todos/${todo.id}`, { method: "PATCH", token: after, json: { title: "new" } });
    // A stale copy of the row (as a crash between copy and delete would leave) moves again.
    await weur
      .prepare(
        "INSERT INTO todos (id, user_id, title, created_at, updated_at) VALUES (?, ?, 'stale', ?, ?)",
      )
      .bind(todo.id, userId, todo.createdAt, todo.updatedAt)
      .run();
    const intruder = newUserId();
    await weur
      .prepare(
        "INSERT INTO todos (id, user_id, title, created_at, updated_at) VALUES (?, ?, 'taken', ?, ?)",
      )
      .bind(crypto.randomUUID(), intruder, todo.createdAt, "9999-01-01T00:00:00.000Z")
      .run();
    await moveRows(weur, enam, userId);
    const [kept] = (await list(after)).items;
    expect(kept?.title).toBe("new");
    expect(await todoCount(weur, userId)).toBe(0);
    expect(await todoCount(weur, intruder)).toBe(1);
  });
});

describe("the scheduled carry-over after a move", () => {
  it("carries what a token minted before the move writes on the old shard, for 31 minutes, then forgets the move", async () => {
    const userId = newUserId();
    const [old, current] = [await tokenOn(userId, "weur"), await tokenOn(userId, "enam")];
    await create(old, "before the move");
    const movedAt = Date.now();
    await recordMove(weur, userId, "enam", new Date(movedAt));
    await moveRows(weur, enam, userId);

    // The old token keeps working until it expires; what it writes lands on the old shard.
    await create(old, "written by the old token");
    expect(await todoCount(weur, userId)).toBe(1);
    await runScheduled(new Date(movedAt + MINUTE));
    expect(await todoCount(weur, userId)).toBe(0);
    expect((await list(current)).items.map((todo) => todo.title)).toEqual([
      "written by the old token",
      "before the move",
    ]);
    expect(await moveRecorded(weur, userId)).toBe("enam");

    await create(old, "later still");
    await runScheduled(new Date(movedAt + 32 * MINUTE));
    expect(await todoCount(weur, userId)).toBe(0);
    expect(await todoCount(enam, userId)).toBe(3);
    expect(await moveRecorded(weur, userId)).toBeNull();
  });

  it("stops carrying once the person moves back", async () => {
    const userId = newUserId();
    await recordMove(weur, userId, "enam");
    await cancelMove(weur, userId);
    await create(await tokenOn(userId, "weur"), "home again");
    await runScheduled(new Date(Date.now() + MINUTE));
    expect(await todoCount(weur, userId)).toBe(1);
    expect(await todoCount(enam, userId)).toBe(0);
  });
});
