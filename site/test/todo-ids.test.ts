import { mintToken } from "@todo/worker/token";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "./people.ts";
import { JWT_SECRET, type Stack, startStack } from "./stack.ts";
import { homeShard, todosInApi, userIdOf } from "./stored.ts";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

/** Ids that are not API todo ids: paths, queries, encodings, upper case, almost-UUIDs. */
const CRAFTED = [
  "../todos?status=all",
  "..%2Ftodos%3Fstatus%3Dall",
  "../todos/complete-all",
  "../me",
  "",
  "x",
  "123e4567-e89b-42d3-a456-426614174000/../../todos?status=all",
  "123E4567-E89B-42D3-A456-426614174000",
  "123e4567e89b42d3a456426614174000",
  " 123e4567-e89b-42d3-a456-426614174000",
];

async function personWithTodos() {
  const { browser } = await createUser(stack);
  for (const title of ["First", "Second"]) {
    expect((await browser.post("/todos", { intent: "add", title })).status).toBe(303);
  }
  return { browser, userId: await userIdOf(browser) };
}

describe("a todo id from a form", () => {
  it("that is not an API todo id gets a plain 400 on Delete, and deletes nothing", async () => {
    const { browser, userId } = await personWithTodos();
    for (const id of CRAFTED) {
      const response = await browser.post("/todos", { intent: "delete", id });
      expect(response.status, id).toBe(400);
      expect(response.headers.get("content-type")).toMatch(/^text\/html/);
      expect(await response.text()).toContain("That todo is not known");
    }
    expect(await todosInApi(stack, userId)).toEqual(["Second", "First"]);
  });

  it("that is not an API todo id gets a plain 400 on toggle and edit, and changes nothing", async () => {
    const { browser, userId } = await personWithTodos();
    for (const id of CRAFTED) {
      const toggle = await browser.post("/todos", { intent: "toggle", id, was: "false" });
      expect(toggle.status, id).toBe(400);
      const edit = await browser.post("/todos", { intent: "edit", id, title: "Changed" });
      expect(edit.status, id).toBe(400);
      expect(await edit.text()).toContain("That todo is not known");
    }
    expect(await todosInApi(stack, userId)).toEqual(["Second", "First"]);
    const { token } = await mintToken(
      userId,
      JWT_SECRET,
      undefined,
      await homeShard(stack, userId),
    );
    const active = await stack.api("/api/todos?status=active", {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(((await active.json()) as { items: unknown[] }).items).toHaveLength(2);
  });

  it("that is a well-formed id of no todo changes nothing and redirects as usual", async () => {
    const { browser, userId } = await personWithTodos();
    const response = await browser.post("/todos", {
      intent: "delete",
      id: "123e4567-e89b-42d3-a456-426614174000",
    });
    expect(response.status).toBe(303);
    expect(await todosInApi(stack, userId)).toEqual(["Second", "First"]);
  });
});
