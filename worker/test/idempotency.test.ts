import { describe, expect, it } from "vitest";
import type { Todo } from "../src/schemas/todo.ts";
import { newUser, userDatabase } from "./helpers.ts";

type User = Awaited<ReturnType<typeof newUser>>;

const createWithKey = (user: User, key: string, json: unknown = { title: "Buy milk" }) =>
  user.call("/api/todos", { method: "POST", json, headers: { "Idempotency-Key": key } });

async function storedTitles(userId: string): Promise<string[]> {
  const { results } = await userDatabase(userId)
    .prepare("SELECT title FROM todos WHERE user_id = ?")
    .bind(userId)
    .all<{ title: string }>();
  return results.map((row) => row.title);
}

async function answer(response: Response) {
  return {
    status: response.status,
    location: response.headers.get("location"),
    body: await response.json<Todo>(),
  };
}

describe("POST /api/todos with Idempotency-Key", () => {
  it("answers a replay with the first result and creates nothing", async () => {
    const user = await newUser();
    const key = crypto.randomUUID();
    const first = await answer(await createWithKey(user, key));
    expect(first.status).toBe(201);
    expect(first.location).toBe(`/api/todos/${first.body.id}`);
    const replay = await answer(await createWithKey(user, key, { title: "  Buy milk " }));
    expect(replay).toEqual(first);
    expect(await storedTitles(user.id)).toEqual(["Buy milk"]);
  });

  it("answers the first result even after the todo changed", async () => {
    const user = await newUser();
    const key = "order-42";
    const first = await answer(await createWithKey(user, key));
    await user.call(`/api/todos/${first.body.id}`, { method: "PATCH", json: { title: "Changed" } });
    expect(await answer(await createWithKey(user, key))).toEqual(first);
    expect(await storedTitles(user.id)).toEqual(["Changed"]);
  });

  it("creates one todo for concurrent requests with one key, and answers all alike", async () => {
    const user = await newUser();
    const key = crypto.randomUUID();
    const answers = await Promise.all(
      Array.from({ length: 8 }, async () => answer(await createWithKey(user, key))),
    );
    expect(answers[0]?.status).toBe(201);
    for (const each of answers) expect(each).toEqual(answers[0]);
    expect(await storedTitles(user.id)).toEqual(["Buy milk"]);
  });

  it("answers 422 idempotency_key_reused for the same key with another body", async () => {
    const user = await newUser();
    const key = crypto.randomUUID();
    expect((await createWithKey(user, key)).status).toBe(201);
    const reused = await createWithKey(user, key, { title: "Buy bread" });
    expect(reused.status).toBe(422);
    expect(await reused.json()).toEqual({
      error: {
        code: "idempotency_key_reused",
        message: "This Idempotency-Key was used for a different request",
      },
    });
    expect(await storedTitles(user.id)).toEqual(["Buy milk"]);
  });

  it("scopes keys to the user: another person's same key creates their own todo", async () => {
    const [alice, bob] = [await newUser(), await newUser()];
    const key = "shared-key";
    const forAlice = await answer(await createWithKey(alice, key));
    const forBob = await answer(await createWithKey(bob, key, { title: "Other body" }));
    expect(forBob.status).toBe(201);
    expect(forBob.body.id).not.toBe(forAlice.body.id);
    expect(await storedTitles(alice.id)).toEqual(["Buy milk"]);
    expect(await storedTitles(bob.id)).toEqual(["Other body"]);
  });

  it("creates again once the key is older than 24 hours", async () => {
    const user = await newUser();
    const key = crypto.randomUUID();
    const first = await answer(await createWithKey(user, key));
    await userDatabase(user.id)
      .prepare("UPDATE idempotency_keys SET created_at = ? WHERE user_id = ? AND key = ?")
      .bind(new Date(Date.now() - 24 * 3600_000 - 1000).toISOString(), user.id, key)
      .run();
    const later = await answer(await createWithKey(user, key));
    expect(later.status).toBe(201);
    expect(later.body.id).not.toBe(first.body.id);
    expect(await storedTitles(user.id)).toEqual(["Buy milk", "Buy milk"]);
  });

  it.each([
    ["empty", ""],
    ["65 characters", "k".repeat(65)],
    ["a space", "two words"],
    ["non-ASCII", "clé"],
    ["a tab", "a\tb"],
  ])(
    "answers 400 naming Idempotency-Key for a key with %s, and creates nothing",
    async (_, key) => {
      const user = await newUser();
      const response = await createWithKey(user, key);
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        error: {
          code: "validation_error",
          message: "Invalid Idempotency-Key",
          fields: { "Idempotency-Key": "must be 1 to 64 visible ASCII characters" },
        },
      });
      expect(await storedTitles(user.id)).toEqual([]);
    },
  );

  it("accepts 64 visible ASCII characters, the widest key", async () => {
    const user = await newUser();
    const key = "!~".repeat(32);
    expect((await createWithKey(user, key)).status).toBe(201);
    expect((await createWithKey(user, key)).status).toBe(201);
    expect(await storedTitles(user.id)).toEqual(["Buy milk"]);
  });
});
