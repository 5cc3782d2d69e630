import { describe, expect, it } from "vitest";
import { call, newUser } from "./helpers.ts";

const ENTRY = /^(d1|total);dur=\d+(\.\d+)?$/;

/** The `Server-Timing` entries of a response, each checked for shape. */
function timings(response: Response): { d1: number; total: number } {
  const header = response.headers.get("server-timing") ?? "";
  const entries = header.split(",").map((entry) => entry.trim());
  for (const entry of entries) expect(entry).toMatch(ENTRY);
  return {
    d1: entries.filter((entry) => entry.startsWith("d1;")).length,
    total: entries.filter((entry) => entry.startsWith("total;")).length,
  };
}

describe("Server-Timing", () => {
  it("has no d1 entry for /health, /api/me and a 401", async () => {
    const user = await newUser();
    for (const response of [
      await call("/health"),
      await user.call("/api/me"),
      await call("/api/todos"),
    ]) {
      expect(timings(response)).toEqual({ d1: 0, total: 1 });
    }
  });

  it("has one d1 entry for each route that needs one round trip", async () => {
    const user = await newUser();
    const created = await user.call("/api/todos", { method: "POST", json: { title: "Time me" } });
    expect(created.status).toBe(201);
    expect(timings(created)).toEqual({ d1: 1, total: 1 });
    const { id } = await created.json<{ id: string }>();

    const calls: Array<[string, string, unknown?]> = [
      ["GET", "/api/todos"],
      ["GET", "/api/todos?status=active&limit=5"],
      ["GET", `/api/todos/${id}`],
      ["PATCH", `/api/todos/${id}`, { completed: true }],
      ["POST", "/api/todos/complete-all", { completed: false }],
      ["DELETE", `/api/todos/${id}`],
      ["DELETE", "/api/todos?status=completed"],
      ["GET", `/api/todos/${crypto.randomUUID()}`],
      ["POST", "/api/todos", { title: "Keyed" }],
    ];
    for (const [method, path, json] of calls) {
      const headers: Record<string, string> =
        method === "POST" && json ? { "Idempotency-Key": crypto.randomUUID() } : {};
      const response = await user.call(path, { method, json, headers });
      expect(response.status, `${method} ${path}`).toBeLessThan(500);
      expect(timings(response), `${method} ${path}`).toEqual({ d1: 1, total: 1 });
    }
  });

  it("has no d1 entry when validation stops the request first", async () => {
    const user = await newUser();
    const response = await user.call("/api/todos?status=nope");
    expect(response.status).toBe(400);
    expect(timings(response)).toEqual({ d1: 0, total: 1 });
  });
});
