import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser } from "./browser.ts";
import { SITE, type Stack, startStack } from "./stack.ts";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

describe("the error log", () => {
  it("names the error's class, never its message", async () => {
    const db = await stack.authDb();
    // A failure deep below the page: the rate-limit table is gone for a moment.
    await db.prepare("ALTER TABLE auth_rate_limit RENAME TO auth_rate_limit_away").run();
    stack.harness.clearLogs();
    try {
      const response = await new Browser(stack, SITE).post("/sign-in", {
        email: "someone@example.com",
        password: "plum-orbit-lantern-47",
      });
      expect(response.status).toBe(500);
      expect(await response.text()).toContain("Something went wrong");
    } finally {
      await db.prepare("ALTER TABLE auth_rate_limit_away RENAME TO auth_rate_limit").run();
    }
    const lines = stack.harness
      .getLogs()
      .map((log) => log.message)
      .filter((message) => message.includes('"event":"error"'));
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0] ?? "{}") as Record<string, unknown>;
    expect(line.error).toBe("Error");
    expect(line).not.toHaveProperty("message");
    expect(lines[0]).not.toMatch(/no such table|auth_rate_limit|someone@example\.com/);
  });
});
