import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "./browser.ts";
import { createUser } from "./people.ts";
import { SITE, type Stack, startStack } from "./stack.ts";
import { authRows, todosInApi, userIdOf } from "./stored.ts";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

/** A fresh session (seconds old), which Better Auth alone would accept instead of a password. */
async function freshPerson() {
  const { browser } = await createUser(stack);
  await browser.post("/todos", { intent: "add", title: "Still mine" });
  return { browser, id: await userIdOf(browser) };
}

const deleteUser = (browser: Browser, body: string) =>
  browser.request("/api/auth/delete-user", {
    method: "POST",
    headers: { origin: SITE, "content-type": "application/json" },
    body,
  });

describe("POST /api/auth/delete-user needs the password", () => {
  for (const [what, body, code] of [
    ["no password", "{}", "PASSWORD_REQUIRED"],
    ["an empty password", `{"password":""}`, "PASSWORD_REQUIRED"],
    ["a token instead of a password", `{"token":"forged-token"}`, "PASSWORD_REQUIRED"],
    ["a password that is not a string", `{"password":null}`, "PASSWORD_REQUIRED"],
  ] as const) {
    it(`with ${what} deletes nothing, even from a fresh session`, async () => {
      const alice = await freshPerson();
      const response = await deleteUser(alice.browser, body);
      expect(response.status).toBe(400);
      expect(response.headers.get("content-type")).toContain("application/json");
      expect(((await response.json()) as { code: string }).code).toBe(code);
      expect(await authRows(stack, alice.id)).toEqual({ user: 1, sessions: 1, accounts: 1 });
      expect(await todosInApi(stack, alice.id)).toEqual(["Still mine"]);
      expect((await alice.browser.get("/todos")).status).toBe(200);
    });
  }

  it("through the deletion callback link deletes nothing", async () => {
    const alice = await freshPerson();
    const response = await alice.browser.get("/api/auth/delete-user/callback?token=forged-token");
    expect(response.status).toBe(404);
    expect(await authRows(stack, alice.id)).toEqual({ user: 1, sessions: 1, accounts: 1 });
  });
});
