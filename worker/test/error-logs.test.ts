import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { SHARDS } from "../src/shards.ts";
import { failingD1 } from "./d1-doubles.ts";
import { newUser, onEveryShard, shardDatabase, userDatabase } from "./helpers.ts";

/** Runs `work` and returns every line it wrote to console.error. */
async function errorLines(work: () => Promise<unknown>): Promise<string[]> {
  const lines: string[] = [];
  const spy = vi.spyOn(console, "error").mockImplementation((line: string) => {
    lines.push(line);
  });
  try {
    await work();
  } finally {
    spy.mockRestore();
  }
  return lines;
}

describe("error logs", () => {
  it("carry the error's class and code, never the todo text or user id a D1 error holds", async () => {
    const user = await newUser();
    const title = "Secret plan for Tuesday";
    // drizzle wraps a failed query in an error naming its SQL and bound values.
    const { db } = failingD1({
      database: userDatabase(user.id),
      failures: 1,
      error: () =>
        new Error(
          `D1_ERROR: UNIQUE constraint failed: todos.id ('${title}', '${user.id}'): SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_UNIQUE)`,
        ),
    });
    let status = 0;
    const lines = await errorLines(async () => {
      const response = await user.call("/api/todos", {
        method: "POST",
        json: { title },
        headers: { "X-Request-Id": "leaky" },
        bindings: onEveryShard(db),
      });
      status = response.status;
    });
    expect(status).toBe(500);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? "")).toEqual({
      event: "error",
      requestId: "leaky",
      traceId: expect.stringMatching(/^[0-9a-f]{32}$/),
      error: "DrizzleQueryError",
      cause: "Error",
      code: "D1_ERROR SQLITE_CONSTRAINT_UNIQUE",
    });
    expect(lines[0]).not.toContain(title);
    expect(lines[0]).not.toContain(user.id);
    expect(lines[0]).not.toContain("todos");
  });

  it("log a 503 unavailable by class and code too", async () => {
    const user = await newUser();
    const { db } = failingD1({
      database: userDatabase(user.id),
      failures: 100,
      error: () => new Error(`D1_ERROR: Network connection lost. (${user.id})`),
    });
    const lines = await errorLines(() => user.call("/api/todos", { bindings: onEveryShard(db) }));
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      {
        event: "error",
        requestId: expect.any(String),
        traceId: expect.any(String),
        error: "Error",
        code: "D1_ERROR",
      },
    ]);
    expect(lines[0]).not.toContain(user.id);
  });
});

// A real D1 error whose message quotes the row: a trigger that refuses one user's
// inserts and names the title and the user id, as a constraint error would.
const TRIGGER = "refuse_inserts_for_log_test";

describe("an unexpected database error", () => {
  let user: Awaited<ReturnType<typeof newUser>>;

  beforeAll(async () => {
    user = await newUser();
    for (const shard of SHARDS)
      await shardDatabase(shard).exec(
        `CREATE TRIGGER ${TRIGGER} BEFORE INSERT ON todos WHEN NEW.user_id = '${user.id}' BEGIN SELECT RAISE(ABORT, 'refused ' || NEW.title || ' of ' || NEW.user_id); END;`,
      );
  });

  afterAll(async () => {
    for (const shard of SHARDS)
      await shardDatabase(shard).exec(`DROP TRIGGER IF EXISTS ${TRIGGER};`);
  });

  it("logs only the error's class and code, never its message with todo text or user ids", async () => {
    const title = "Buy a present for Alice";
    const lines: string[] = [];
    const spies = (["log", "error", "warn", "info"] as const).map((level) =>
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        lines.push(args.map(String).join(" "));
      }),
    );
    let response: Response;
    try {
      response = await user.call("/api/todos", {
        method: "POST",
        json: { title },
        headers: { "X-Request-Id": "db-fault" },
      });
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    expect(response.status).toBe(500);
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(await response.json()).toEqual({
      error: { code: "internal", message: "Something went wrong" },
    });
    const logged = lines.map((line) => JSON.parse(line));
    expect(logged).toContainEqual({
      event: "error",
      requestId: "db-fault",
      traceId: expect.stringMatching(/^[0-9a-f]{32}$/),
      error: "DrizzleQueryError",
      cause: "Error",
      code: "SQLITE_CONSTRAINT_TRIGGER",
    });
    expect(logged).toContainEqual(expect.objectContaining({ event: "request", status: 500 }));
    for (const line of lines) {
      expect(line).not.toContain(title);
      expect(line).not.toContain(user.id);
      expect(line).not.toContain("refused");
    }
  });
});
