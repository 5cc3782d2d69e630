import { describe, expect, it, vi } from "vitest";
import { API_OPERATIONS, call, newUser, onEveryShard, withLogLines } from "./helpers.ts";

const fieldsOf = async (response: Response) => {
  expect(response.status).toBe(400);
  const body = (await response.json()) as {
    error: { code: string; fields: Record<string, string> };
  };
  expect(body.error.code).toBe("validation_error");
  return body.error.fields;
};

describe("mass assignment", () => {
  for (const field of ["userId", "user_id", "id", "createdAt", "updatedAt", "owner"]) {
    it(`refuses ${field} in a create body with a 400 naming it, and creates nothing`, async () => {
      const user = await newUser();
      const response = await user.call("/api/todos", {
        method: "POST",
        json: { title: "mine", [field]: "someone-else" },
      });
      expect(await fieldsOf(response)).toHaveProperty(field);
      expect((await user.list()).items).toEqual([]);
    });

    it(`refuses ${field} in an update body, and changes nothing`, async () => {
      const user = await newUser();
      const todo = await user.create("mine");
      const response = await user.call(`/api/todos/${todo.id}`, {
        method: "PATCH",
        json: { completed: true, [field]: "someone-else" },
      });
      expect(await fieldsOf(response)).toHaveProperty(field);
      expect(await (await user.call(`/api/todos/${todo.id}`)).json()).toEqual(todo);
    });
  }

  it("refuses extra fields in complete-all", async () => {
    const user = await newUser();
    const response = await user.call("/api/todos/complete-all", {
      method: "POST",
      json: { completed: true, userId: "x" },
    });
    expect(await fieldsOf(response)).toHaveProperty("userId");
  });

  it("ignores who the query says the user is", async () => {
    const user = await newUser();
    const response = await user.call("/api/todos?userId=someone-else");
    expect(await fieldsOf(response)).toHaveProperty("userId");
  });
});

describe("title and description rules", () => {
  const invalid: Array<[string, unknown]> = [
    ["an empty title", ""],
    ["a whitespace-only title", "   \t\n "],
    ["a 201-character title", "t".repeat(201)],
    ["a numeric title", 42],
    ["a null title", null],
  ];
  for (const [name, title] of invalid) {
    it(`refuses ${name} with a 400 on title`, async () => {
      const user = await newUser();
      const response = await user.call("/api/todos", { method: "POST", json: { title } });
      expect(await fieldsOf(response)).toHaveProperty("title");
      expect((await user.list()).items).toEqual([]);
    });
  }

  it("refuses a missing title", async () => {
    const user = await newUser();
    const response = await user.call("/api/todos", { method: "POST", json: { description: "x" } });
    expect(await fieldsOf(response)).toEqual({ title: "is required" });
    const toggle = await user.call("/api/todos/complete-all", { method: "POST", json: {} });
    expect(await fieldsOf(toggle)).toEqual({ completed: "is required" });
  });

  it("says what type a present field must have", async () => {
    const user = await newUser();
    const response = await user.call("/api/todos", { method: "POST", json: { title: null } });
    expect(await fieldsOf(response)).toEqual({ title: "must be a string" });
  });

  it("refuses a 2001-character description", async () => {
    const user = await newUser();
    const response = await user.call("/api/todos", {
      method: "POST",
      json: { title: "ok", description: "d".repeat(2001) },
    });
    expect(await fieldsOf(response)).toHaveProperty("description");
  });

  it("refuses a string completed", async () => {
    const user = await newUser();
    const response = await user.call("/api/todos", {
      method: "POST",
      json: { title: "ok", completed: "true" },
    });
    expect(await fieldsOf(response)).toHaveProperty("completed");
  });

  it("refuses an empty update, and an empty title in an update", async () => {
    const user = await newUser();
    const todo = await user.create("keep");
    const path = `/api/todos/${todo.id}`;
    expect(await fieldsOf(await user.call(path, { method: "PATCH", json: {} }))).toHaveProperty(
      "body",
    );
    const fields = await fieldsOf(await user.call(path, { method: "PATCH", json: { title: " " } }));
    expect(fields).toHaveProperty("title");
    expect(await (await user.call(path)).json()).toEqual(todo);
  });

  it("refuses a body that is not an object", async () => {
    const user = await newUser();
    for (const json of [[], "title", 7, null]) {
      const response = await user.call("/api/todos", { method: "POST", json });
      expect(await fieldsOf(response)).toHaveProperty("body");
    }
    expect((await user.list()).items).toEqual([]);
  });
});

describe("list query rules", () => {
  for (const query of [
    "status=done",
    "limit=0",
    "limit=101",
    "limit=abc",
    "limit=1.5",
    "limit=2.5",
    "limit=1e1",
    "limit=+5",
    "limit=-5",
    "limit=0x10",
    "limit=%205",
    "limit=",
    "cursor=bogus",
    "cursor=",
  ]) {
    it(`refuses ?${query} with a validation_error`, async () => {
      const user = await newUser();
      const field = query.split("=")[0] as string;
      expect(await fieldsOf(await user.call(`/api/todos?${query}`))).toHaveProperty(field);
    });
  }
});

describe("request bodies", () => {
  it("answers 400 invalid_json for a body that is not JSON, and creates nothing", async () => {
    const user = await newUser();
    const response = await user.call("/api/todos", {
      method: "POST",
      body: "{title: oops",
      headers: { "Content-Type": "application/json" },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: { code: "invalid_json", message: "The request body is not valid JSON" },
    });
    expect((await user.list()).items).toEqual([]);
  });

  it("answers 415 for a POST or PATCH without a JSON content type", async () => {
    const user = await newUser();
    const todo = await user.create("keep");
    const attempts = [
      user.call("/api/todos", {
        method: "POST",
        body: '{"title":"x"}',
        headers: { "Content-Type": "text/plain" },
      }),
      user.call("/api/todos", {
        method: "POST",
        body: "title=x",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
      }),
      user.call("/api/todos", { method: "POST", body: '{"title":"x"}' }),
      user.call(`/api/todos/${todo.id}`, {
        method: "PATCH",
        body: '{"title":"x"}',
        headers: { "Content-Type": "text/plain" },
      }),
      user.call("/api/todos/complete-all", { method: "POST" }),
    ];
    for (const response of await Promise.all(attempts)) {
      expect(response.status).toBe(415);
      expect(await response.json()).toMatchObject({ error: { code: "unsupported_media_type" } });
    }
    expect((await user.list()).items).toEqual([todo]);
  });

  it("accepts a JSON content type with a charset", async () => {
    const user = await newUser();
    const response = await user.call("/api/todos", {
      method: "POST",
      body: '{"title":"x"}',
      headers: { "Content-Type": "application/json; charset=utf-8" },
    });
    expect(response.status).toBe(201);
  });

  it.each(API_OPERATIONS.filter((operation) => operation.json !== undefined))(
    "answers 413 for a body over 16 KiB on $method $path, and changes nothing",
    async ({ method, path }) => {
      const user = await newUser();
      const todo = await user.create("kept");
      const response = await user.call(path.replace("some-id", todo.id), {
        method,
        json: { title: "t".repeat(17 * 1024) },
      });
      expect(response.status).toBe(413);
      expect(await response.json()).toMatchObject({ error: { code: "payload_too_large" } });
      expect((await user.list()).items).toEqual([todo]);
    },
  );

  it("answers 413 for a streamed body over 16 KiB without Content-Length", async () => {
    const user = await newUser();
    const chunk = new TextEncoder().encode(
      `{"title":"x","description":"${"d".repeat(17 * 1024)}"}`,
    );
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue(chunk);
        controller.close();
      },
    });
    const response = await user.call("/api/todos", {
      method: "POST",
      body,
      headers: { "Content-Type": "application/json" },
    });
    expect(response.status).toBe(413);
  });
});

describe("routing", () => {
  it("answers 404 not_found for an unknown route, with or without a token", async () => {
    const user = await newUser();
    for (const response of [
      await call("/nope"),
      await call("/api/nope"),
      await user.call("/api/todos/a/b"),
    ]) {
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ error: { code: "not_found", message: "Not found" } });
    }
  });

  it("answers 405 with Allow for a known path and the wrong method", async () => {
    const user = await newUser();
    const cases: Array<[string, string, string]> = [
      ["PUT", "/api/todos", "GET, HEAD, POST, DELETE"],
      ["PUT", "/api/todos/some-id", "GET, HEAD, PATCH, DELETE"],
      ["GET", "/api/todos/complete-all", "POST"],
      ["PATCH", "/api/todos/complete-all", "POST"],
      ["POST", "/health", "GET, HEAD"],
      ["PUT", "/api/me", "GET, HEAD, DELETE"],
    ];
    for (const [method, path, allow] of cases) {
      for (const response of [await call(path, { method }), await user.call(path, { method })]) {
        expect(response.status).toBe(405);
        expect(response.headers.get("allow")?.split(", ").sort()).toEqual(allow.split(", ").sort());
        expect(await response.json()).toMatchObject({ error: { code: "method_not_allowed" } });
      }
    }
  });

  it("sends Cache-Control: no-store, nosniff and no CORS headers on every kind of response", async () => {
    const user = await newUser();
    const responses = [
      await call("/health"),
      await call("/api/me"),
      await user.call("/api/me"),
      await user.call("/api/nope"),
      await call("/api/todos", {
        method: "OPTIONS",
        headers: { Origin: "https://evil.example", "Access-Control-Request-Method": "POST" },
      }),
      await user.call("/api/todos", { headers: { Origin: "https://evil.example" } }),
    ];
    for (const response of responses) {
      expect(response.headers.get("cache-control")).toBe("no-store");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      const cors = [...response.headers.keys()].filter((name) =>
        name.startsWith("access-control-"),
      );
      expect(cors).toEqual([]);
    }
  });

  it("answers JSON labelled UTF-8", async () => {
    const user = await newUser();
    const response = await user.call("/api/todos");
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
  });
});

describe("request logs", () => {
  it("writes one JSON line per request with id, method, route, status and duration, never the token", async () => {
    const user = await newUser();
    const todo = await user.create("logged");
    const lines: string[] = [];
    const spy = vi.spyOn(console, "log").mockImplementation((line: string) => {
      lines.push(line);
    });
    try {
      await user.call(`/api/todos/${todo.id}`, { headers: { "X-Request-Id": "trace-123" } });
    } finally {
      spy.mockRestore();
    }
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? "")).toEqual({
      event: "request",
      requestId: "trace-123",
      traceId: expect.stringMatching(/^[0-9a-f]{32}$/),
      method: "GET",
      route: "/api/todos/:id",
      status: 200,
      durationMs: expect.any(Number),
    });
    expect(lines[0]).not.toContain(user.token);
    expect(lines[0]).not.toContain(todo.id);
  });
});

describe("unexpected failures", () => {
  it("answer 500 internal without details, and log the error with the request id", async () => {
    const user = await newUser();
    const { result: response, lines } = await withLogLines(() =>
      user.call("/api/todos", {
        headers: { "X-Request-Id": "broken-db" },
        bindings: onEveryShard(undefined),
      }),
    );
    expect(response.status).toBe(500);
    const body = await response.text();
    expect(JSON.parse(body)).toEqual({
      error: { code: "internal", message: "Something went wrong" },
    });
    expect(body).not.toMatch(/at |Error|\.ts/);
    const logged = lines.map((line) => JSON.parse(line));
    expect(logged).toContainEqual(
      expect.objectContaining({
        event: "error",
        requestId: "broken-db",
        error: "TypeError",
      }),
    );
    expect(logged).toContainEqual(expect.objectContaining({ event: "request", status: 500 }));
  });
});
