import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { newUser } from "./helpers.ts";

// A real D1 error whose message quotes the row: a trigger that refuses one user's
// inserts and names the title and the user id, as a constraint error would.
const TRIGGER = "refuse_inserts_for_log_test";

describe("an unexpected database error", () => {
  let user: Awaited<ReturnType<typeof newUser>>;

  beforeAll(async () => {
    user = await newUser();
    await env.DB.exec(
      `CREATE TRIGGER ${TRIGGER} BEFORE INSERT ON todos WHEN NEW.user_id = '${user.id}' BEGIN SELECT RAISE(ABORT, 'refused ' || NEW.title || ' of ' || NEW.user_id); END;`,
    );
  });

  afterAll(async () => {
    await env.DB.exec(`DROP TRIGGER IF EXISTS ${TRIGGER};`);
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
    expect(logged).toContainEqual({ event: "error", requestId: "db-fault", error: "Error" });
    expect(logged).toContainEqual(expect.objectContaining({ event: "request", status: 500 }));
    for (const line of lines) {
      expect(line).not.toContain(title);
      expect(line).not.toContain(user.id);
      expect(line).not.toContain("refused");
    }
  });
});
