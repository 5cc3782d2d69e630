import { describe, expect, it, vi } from "vitest";
import { failingD1 } from "./d1-doubles.ts";
import { newUser } from "./helpers.ts";

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
        bindings: { DB: db },
      });
      status = response.status;
    });
    expect(status).toBe(500);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? "")).toEqual({
      event: "error",
      requestId: "leaky",
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
      failures: 100,
      error: () => new Error(`D1_ERROR: Network connection lost. (${user.id})`),
    });
    const lines = await errorLines(() => user.call("/api/todos", { bindings: { DB: db } }));
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      { event: "error", requestId: expect.any(String), error: "Error", code: "D1_ERROR" },
    ]);
    expect(lines[0]).not.toContain(user.id);
  });
});
