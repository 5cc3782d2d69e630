import { describe, expect, it } from "vitest";
import type { Todo } from "../src/schemas/todo.ts";
import { newUser } from "./helpers.ts";

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("POST /api/todos", () => {
  it("creates a todo with defaults and answers 201 with Location", async () => {
    const user = await newUser();
    const response = await user.call("/api/todos", {
      method: "POST",
      json: { title: "  Buy milk  " },
    });
    expect(response.status).toBe(201);
    const todo: Todo = await response.json();
    expect(response.headers.get("location")).toBe(`/api/todos/${todo.id}`);
    expect(todo).toEqual({
      id: expect.stringMatching(UUID),
      title: "Buy milk",
      description: "",
      completed: false,
      createdAt: expect.stringMatching(ISO_UTC),
      updatedAt: todo.createdAt,
    });
    expect(Object.keys(todo)).not.toContain("userId");
  });

  it("keeps the description and completed flag it is given", async () => {
    const user = await newUser();
    const todo = await user.create("Write report", { description: "Q3 numbers", completed: true });
    expect(todo).toMatchObject({
      title: "Write report",
      description: "Q3 numbers",
      completed: true,
    });
  });

  it("accepts a title of exactly 200 characters and a description of 2000", async () => {
    const user = await newUser();
    const todo = await user.create("t".repeat(200), { description: "d".repeat(2000) });
    expect(todo.title).toHaveLength(200);
    expect(todo.description).toHaveLength(2000);
  });
});

describe("GET /api/todos/:id", () => {
  it("returns the caller's todo", async () => {
    const user = await newUser();
    const todo = await user.create("Read");
    const response = await user.call(`/api/todos/${todo.id}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(todo);
  });

  it("returns 404 not_found for an unknown id", async () => {
    const user = await newUser();
    const response = await user.call(`/api/todos/${crypto.randomUUID()}`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: "not_found", message: "Not found" } });
  });
});

describe("PATCH /api/todos/:id", () => {
  it("changes only the fields given and moves updatedAt", async () => {
    const user = await newUser();
    const todo = await user.create("Draft", { description: "keep me" });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const response = await user.call(`/api/todos/${todo.id}`, {
      method: "PATCH",
      json: { title: " Final ", completed: true },
    });
    expect(response.status).toBe(200);
    const updated: Todo = await response.json();
    expect(updated).toMatchObject({
      id: todo.id,
      title: "Final",
      description: "keep me",
      completed: true,
      createdAt: todo.createdAt,
    });
    expect(updated.updatedAt > todo.updatedAt).toBe(true);
    expect(await (await user.call(`/api/todos/${todo.id}`)).json()).toEqual(updated);
  });

  it("returns 404 for an unknown id", async () => {
    const user = await newUser();
    const response = await user.call(`/api/todos/${crypto.randomUUID()}`, {
      method: "PATCH",
      json: { completed: true },
    });
    expect(response.status).toBe(404);
  });
});

describe("DELETE /api/todos/:id", () => {
  it("answers 204 with an empty body, then the todo is gone", async () => {
    const user = await newUser();
    const todo = await user.create("Temporary");
    const response = await user.call(`/api/todos/${todo.id}`, { method: "DELETE" });
    expect(response.status).toBe(204);
    expect(await response.text()).toBe("");
    expect((await user.call(`/api/todos/${todo.id}`)).status).toBe(404);
    expect((await user.call(`/api/todos/${todo.id}`, { method: "DELETE" })).status).toBe(404);
  });
});

describe("GET /api/todos", () => {
  it("lists newest first with nextCursor null when everything fits", async () => {
    const user = await newUser();
    const first = await user.create("first");
    const second = await user.create("second");
    const third = await user.create("third");
    expect(await user.list()).toEqual({
      items: [third, second, first],
      nextCursor: null,
      counts: { active: 3, completed: 0 },
    });
  });

  it("filters by status", async () => {
    const user = await newUser();
    const done = await user.create("done", { completed: true });
    const open = await user.create("open");
    expect((await user.list("?status=active")).items).toEqual([open]);
    expect((await user.list("?status=completed")).items).toEqual([done]);
    expect((await user.list("?status=all")).items).toEqual([open, done]);
  });

  it("defaults to 50 items a page", async () => {
    const user = await newUser();
    for (let i = 0; i < 51; i++) await user.create(`todo ${i}`);
    const page = await user.list();
    expect(page.items).toHaveLength(50);
    expect(page.nextCursor).toEqual(expect.any(String));
  });

  it("pages through every item exactly once, newest first, with any limit and filter", async () => {
    const user = await newUser();
    const created: Todo[] = [];
    for (let i = 0; i < 23; i++)
      created.push(await user.create(`todo ${i}`, { completed: i % 3 === 0 }));
    const newestFirst = created.toReversed();

    for (const [status, expected] of [
      ["all", newestFirst],
      ["completed", newestFirst.filter((todo) => todo.completed)],
      ["active", newestFirst.filter((todo) => !todo.completed)],
    ] as const) {
      for (const limit of [1, 4, 7, 100]) {
        const seen: Todo[] = [];
        let cursor: string | null = null;
        do {
          const query: string = `?status=${status}&limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`;
          const page = await user.list(query);
          expect(page.items.length).toBeLessThanOrEqual(limit);
          seen.push(...page.items);
          cursor = page.nextCursor;
        } while (cursor !== null);
        expect(seen.map((todo) => todo.id)).toEqual(expected.map((todo) => todo.id));
      }
    }
  });

  it("keeps paging correctly when items are deleted between pages", async () => {
    const user = await newUser();
    const created: Todo[] = [];
    for (let i = 0; i < 6; i++) created.push(await user.create(`todo ${i}`));
    const firstPage = await user.list("?limit=2");
    await user.call(`/api/todos/${firstPage.items[1]?.id}`, { method: "DELETE" });
    const secondPage = await user.list(`?limit=2&cursor=${firstPage.nextCursor}`);
    expect(secondPage.items.map((todo) => todo.title)).toEqual(["todo 3", "todo 2"]);
  });
});

describe("POST /api/todos/complete-all", () => {
  it("marks all of the caller's todos and counts the ones that changed", async () => {
    const user = await newUser();
    await user.create("a");
    await user.create("b", { completed: true });
    await user.create("c");
    const response = await user.call("/api/todos/complete-all", {
      method: "POST",
      json: { completed: true },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ updated: 2 });
    expect((await user.list("?status=active")).items).toEqual([]);

    const undo = await user.call("/api/todos/complete-all", {
      method: "POST",
      json: { completed: false },
    });
    expect(await undo.json()).toEqual({ updated: 3 });
    expect((await user.list("?status=completed")).items).toEqual([]);
  });

  it("touches only the caller's todos", async () => {
    const alice = await newUser();
    const bob = await newUser();
    const bobs = await bob.create("bob's");
    await alice.create("alice's");
    await alice.call("/api/todos/complete-all", { method: "POST", json: { completed: true } });
    expect(await (await bob.call(`/api/todos/${bobs.id}`)).json()).toEqual(bobs);
  });
});

describe("DELETE /api/todos?status=", () => {
  it("clears completed todos only, and counts them", async () => {
    const user = await newUser();
    const open = await user.create("open");
    await user.create("done 1", { completed: true });
    await user.create("done 2", { completed: true });
    const response = await user.call("/api/todos?status=completed", { method: "DELETE" });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ deleted: 2 });
    expect((await user.list()).items).toEqual([open]);
  });

  it("deletes every todo of the caller with status=all", async () => {
    const user = await newUser();
    await user.create("one");
    await user.create("two", { completed: true });
    const response = await user.call("/api/todos?status=all", { method: "DELETE" });
    expect(await response.json()).toEqual({ deleted: 2 });
    expect((await user.list()).items).toEqual([]);
  });

  it("touches only the caller's todos", async () => {
    const alice = await newUser();
    const bob = await newUser();
    const bobsDone = await bob.create("bob's done", { completed: true });
    const bobsOpen = await bob.create("bob's open");
    await alice.create("alice's done", { completed: true });
    await alice.call("/api/todos?status=all", { method: "DELETE" });
    expect((await bob.list()).items).toEqual([bobsOpen, bobsDone]);
  });

  it("requires status", async () => {
    const user = await newUser();
    await user.create("safe");
    const response = await user.call("/api/todos", { method: "DELETE" });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: { code: "validation_error", fields: { status: expect.any(String) } },
    });
    expect((await user.list()).items).toHaveLength(1);
  });
});
