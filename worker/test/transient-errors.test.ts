import { describe, expect, it } from "vitest";
import { isTransientD1Error } from "../src/db/transient.ts";
import { failingD1 } from "./d1-doubles.ts";
import { API_OPERATIONS, newUser, onEveryShard, userDatabase } from "./helpers.ts";

const lost = () => new Error("D1_ERROR: Network connection lost.");
const d1Entries = (response: Response) =>
  (response.headers.get("server-timing") ?? "").split(",").filter((e) => e.startsWith("d1;"))
    .length;

async function storedCount(userId: string): Promise<number> {
  const row = await userDatabase(userId)
    .prepare("SELECT count(*) AS n FROM todos WHERE user_id = ?")
    .bind(userId)
    .first<{ n: number }>();
  return row?.n ?? -1;
}

const UNAVAILABLE = {
  error: { code: "unavailable", message: "The database is briefly unavailable; try again" },
};

describe("transient D1 errors", () => {
  it("retries a read until it works", async () => {
    const user = await newUser();
    await user.create("Survives");
    const { db, attempts } = failingD1({
      database: userDatabase(user.id),
      failures: 3,
      error: lost,
    });
    const response = await user.call("/api/todos", { bindings: onEveryShard(db) });
    expect(response.status).toBe(200);
    expect((await response.json<{ items: unknown[] }>()).items).toHaveLength(1);
    expect(attempts()).toBe(4);
    expect(d1Entries(response)).toBe(4);
  });

  it("answers 503 unavailable with Retry-After when D1 stays down", async () => {
    const user = await newUser();
    const { db, attempts } = failingD1({
      database: userDatabase(user.id),
      failures: 100,
      error: () =>
        new Error(
          "D1_ERROR: Internal error while starting up D1 DB storage caused object to be reset.",
        ),
    });
    const response = await user.call("/api/todos", { bindings: onEveryShard(db) });
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("1");
    expect(await response.json()).toEqual(UNAVAILABLE);
    expect(attempts()).toBe(4);
  });

  it("answers 500 internal at once for an error that is not transient", async () => {
    const user = await newUser();
    const { db, attempts } = failingD1({
      database: userDatabase(user.id),
      failures: 1,
      error: () => new Error("D1_ERROR: no such table: todos: SQLITE_ERROR"),
    });
    const response = await user.call("/api/todos", { bindings: onEveryShard(db) });
    expect(response.status).toBe(500);
    expect(response.headers.get("retry-after")).toBeNull();
    expect(await response.json()).toEqual({
      error: { code: "internal", message: "Something went wrong" },
    });
    expect(attempts()).toBe(1);
  });

  it("does not repeat an unkeyed create: 503 at once, and nothing is created twice", async () => {
    const user = await newUser();
    const { db, attempts } = failingD1({
      database: userDatabase(user.id),
      failures: 1,
      error: lost,
      afterRunning: true,
    });
    const response = await user.call("/api/todos", {
      method: "POST",
      json: { title: "Maybe" },
      bindings: onEveryShard(db),
    });
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("1");
    expect(attempts()).toBe(1);
    expect(await storedCount(user.id)).toBe(1);
  });

  it("retries a keyed create whose answer was lost, and answers the one todo it made", async () => {
    const user = await newUser();
    const { db, attempts } = failingD1({
      database: userDatabase(user.id),
      failures: 2,
      error: lost,
      afterRunning: true,
    });
    const key = crypto.randomUUID();
    const response = await user.call("/api/todos", {
      method: "POST",
      json: { title: "Once" },
      headers: { "Idempotency-Key": key },
      bindings: onEveryShard(db),
    });
    expect(response.status).toBe(201);
    const todo = await response.json<{ id: string; title: string }>();
    expect(todo.title).toBe("Once");
    expect(response.headers.get("location")).toBe(`/api/todos/${todo.id}`);
    expect(attempts()).toBe(3);
    expect(await storedCount(user.id)).toBe(1);
  });

  it("does not retry an unkeyed toggle", async () => {
    const user = await newUser();
    const todo = await user.create("Toggle me");
    const { db, attempts } = failingD1({
      database: userDatabase(user.id),
      failures: 1,
      error: lost,
    });
    const response = await user.call(`/api/todos/${todo.id}`, {
      method: "PATCH",
      json: { completed: true },
      bindings: onEveryShard(db),
    });
    expect(response.status).toBe(503);
    expect(attempts()).toBe(1);
  });
});

/** Every operation that reads or writes D1 (all but `GET /api/me`). */
const D1_OPERATIONS = API_OPERATIONS.filter(
  ({ method, path }) => !(method === "GET" && path === "/api/me"),
);

describe("D1 staying down", () => {
  it.each(D1_OPERATIONS)(
    "answers 503 unavailable with Retry-After on $method $path",
    async ({ method, path, json }) => {
      const user = await newUser();
      const { db } = failingD1({ database: userDatabase(user.id), failures: 100, error: lost });
      const response = await user.call(path, { method, json, bindings: onEveryShard(db) });
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toBe("1");
      expect(await response.json()).toEqual(UNAVAILABLE);
    },
  );
});

describe("isTransientD1Error", () => {
  it.each([
    "D1_ERROR: Network connection lost.",
    "D1_ERROR: D1 DB reset because its code was updated.",
    "D1_ERROR: Internal error while starting up D1 DB storage caused object to be reset.",
    "D1_ERROR: D1 DB storage operation exceeded timeout which caused object to be reset.",
    "D1_ERROR: Cannot resolve D1 DB due to transient issue on remote node.",
    "D1_ERROR: D1 DB is overloaded. Requests queued for too long.",
    "D1_ERROR: D1 DB is overloaded. Too many requests queued.",
  ])("is true for %s", (message) => {
    expect(isTransientD1Error(new Error(message))).toBe(true);
  });

  it.each([
    "D1_ERROR: UNIQUE constraint failed: todos.id: SQLITE_CONSTRAINT",
    "D1_TYPE_ERROR: Type 'undefined' not supported for value 'undefined'",
    "D1_ERROR: no such table: todos: SQLITE_ERROR",
  ])("is false for %s", (message) => {
    expect(isTransientD1Error(new Error(message))).toBe(false);
  });
});
