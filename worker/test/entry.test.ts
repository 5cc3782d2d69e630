import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { newUserId, tokenFor } from "./helpers.ts";

/** Through the Worker's own entry (`main` in wrangler.toml), as the platform calls it. */
const send = (path: string, init?: RequestInit) =>
  exports.default.fetch(new Request(`http://api.test${path}`, init));

describe("the deployed entry point", () => {
  it("answers /health, refuses /api without a token, and serves a signed-in user", async () => {
    const health = await send("/health");
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
    expect(health.headers.get("X-Request-Id")).toBeTruthy();

    const refused = await send("/api/me");
    expect(refused.status).toBe(401);
    expect(refused.headers.get("WWW-Authenticate")).toBe('Bearer realm="todo-api"');
    expect(await refused.json()).toEqual({
      error: { code: "unauthorized", message: "A valid bearer token is required" },
    });

    const userId = newUserId();
    const authorization = `Bearer ${await tokenFor(userId)}`;
    const created = await send("/api/todos", {
      method: "POST",
      headers: { Authorization: authorization, "Content-Type": "application/json" },
      body: JSON.stringify({ title: "through the entry" }),
    });
    expect(created.status).toBe(201);
    const todo = (await created.json()) as { id: string; title: string };
    expect(todo.title).toBe("through the entry");
    expect(created.headers.get("Location")).toBe(`/api/todos/${todo.id}`);

    const list = await send("/api/todos", { headers: { Authorization: authorization } });
    expect(list.status).toBe(200);
    expect(await list.json()).toEqual({
      items: [todo],
      nextCursor: null,
      counts: { active: 1, completed: 0 },
    });
  });
});
