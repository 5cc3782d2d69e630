import { describe, expect, it } from "vitest";
import { seedRows, TODOS_PER_USER, todoRowsFor, USERS } from "../../bench/lib/seed.ts";

describe("the bench's seed", () => {
  it("gives each bench user TODOS_PER_USER todos", () => {
    const perUser = new Map<string, number>();
    for (const [, userId] of seedRows()) perUser.set(userId, (perUser.get(userId) ?? 0) + 1);
    expect(Object.fromEntries(perUser)).toEqual({
      [USERS.reader]: TODOS_PER_USER,
      [USERS.writer]: TODOS_PER_USER,
    });
  });

  it("gives one user as many todos as asked, each with its own id", () => {
    const rows = todoRowsFor("someone", 5_000);
    expect(rows).toHaveLength(5_000);
    expect(new Set(rows.map(([id]) => id)).size).toBe(5_000);
  });
});
