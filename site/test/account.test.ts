import { mintToken } from "@todo/worker/token";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser, setCookies } from "./browser.ts";
import { createUser } from "./people.ts";
import { JWT_SECRET, SITE, type Stack, startStack } from "./stack.ts";
import { authRows, erasureRecorded, homeShard, todosInApi, userIdOf } from "./stored.ts";

const TOKEN = "todo_token";
const SESSION = "better-auth.session_token";
/** Attempts per IP; each Browser has its own IP, so only the rate-limit test reaches it. */
const LIMIT = 3;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ siteVars: { AUTH_RATE_LIMIT_MAX: String(LIMIT) } });
});
afterAll(() => stack?.close());

/** Signs a person up and adds todos through the page's form. */
async function personWithTodos(on: Stack, titles: string[]) {
  const person = await createUser(on);
  for (const title of titles) await person.browser.post("/todos", { intent: "add", title });
  return person;
}

const canSignIn = async (on: Stack, email: string, password: string) =>
  (await new Browser(on, SITE).post("/sign-in", { email, password })).status === 303;

describe("the account page", () => {
  it("shows the person's email and a Delete account form; others go to sign in", async () => {
    const guest = new Browser(stack, SITE);
    const away = await guest.get("/account");
    expect(away.status).toBe(302);
    expect(away.headers.get("location")).toBe("/sign-in");

    const { browser, email } = await createUser(stack);
    const page = await browser.get("/account");
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(email);
    expect(html).toMatch(/<label for="password">Password<\/label>/);
    expect(html).toMatch(/<button type="submit" class="button-danger">Delete account<\/button>/);
    expect(html).toContain('<form method="post" action="/account"');

    expect(await (await browser.get("/todos")).text()).toMatch(/<a href="\/account"[^>]*>/);
  });
});

describe("deleting an account", () => {
  it("refuses a wrong password in plain words and deletes nothing", async () => {
    const alice = await personWithTodos(stack, ["Keep me", "Me too"]);
    const response = await alice.browser.post("/account", { password: "not my password" });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain("That password is not right. Your account was not deleted.");
    expect(html).not.toContain("not my password");
    expect(setCookies(response).map((cookie) => cookie.name)).not.toContain(SESSION);

    expect(await todosInApi(stack, alice.id)).toEqual(["Me too", "Keep me"]);
    expect(await authRows(stack, alice.id)).toEqual({ user: 1, sessions: 1, accounts: 1 });
    expect((await alice.browser.get("/todos")).status).toBe(200);
    expect(await canSignIn(stack, alice.email, alice.password)).toBe(true);
  });

  it("asks for the password when none is given", async () => {
    const alice = await personWithTodos(stack, ["Still here"]);
    const response = await alice.browser.post("/account", { password: "" });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("Enter your password to delete your account.");
    expect(await todosInApi(stack, alice.id)).toEqual(["Still here"]);
  });

  it("with the right password deletes the todos, the user and the sessions, clears both cookies and lands on /sign-up; another person is untouched", async () => {
    const alice = await personWithTodos(stack, ["Alice one", "Alice two"]);
    const bob = await personWithTodos(stack, ["Bob's todo"]);
    const oldSession = alice.browser.cookies.get(SESSION) ?? "";
    // Make this very request one where the middleware refreshes the session
    // (two days old) and mints a token (no cookie): neither may survive it.
    const day = 24 * 60 * 60 * 1000;
    await (await stack.authDb())
      .prepare(`UPDATE "session" SET expiresAt = ?1, updatedAt = ?2 WHERE userId = ?3`)
      .bind(
        new Date(Date.now() + 5 * day).toISOString(),
        new Date(Date.now() - 2 * day).toISOString(),
        alice.id,
      )
      .run();
    alice.browser.cookies.delete(TOKEN);

    const response = await alice.browser.post("/account", { password: alice.password });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/sign-up");
    const last = (name: string) => setCookies(response).findLast((cookie) => cookie.name === name);
    expect(last(TOKEN)?.value).toBe("");
    expect(last(TOKEN)?.attributes.get("max-age")).toBe("0");
    expect(last(SESSION)?.value).toBe("");
    expect(last(SESSION)?.attributes.get("max-age")).toBe("0");
    expect(alice.browser.cookies.has(TOKEN)).toBe(false);
    expect(alice.browser.cookies.has(SESSION)).toBe(false);

    expect(await todosInApi(stack, alice.id)).toEqual([]);
    // Erased, not just emptied: the API purges what a token minted earlier still creates.
    expect(await erasureRecorded(stack, alice.id)).toBe(true);
    expect(await erasureRecorded(stack, bob.id)).toBe(false);
    expect(await authRows(stack, alice.id)).toEqual({ user: 0, sessions: 0, accounts: 0 });
    expect(await canSignIn(stack, alice.email, alice.password)).toBe(false);
    const replay = new Browser(stack, SITE);
    replay.cookies.set(SESSION, oldSession);
    expect((await replay.get("/todos")).headers.get("location")).toBe("/sign-in");

    expect(await todosInApi(stack, bob.id)).toEqual(["Bob's todo"]);
    expect(await authRows(stack, bob.id)).toEqual({ user: 1, sessions: 1, accounts: 1 });
    expect((await bob.browser.get("/todos")).status).toBe(200);
    expect(await canSignIn(stack, bob.email, bob.password)).toBe(true);
  });

  it("lets the email be used for a new account afterwards", async () => {
    const alice = await personWithTodos(stack, ["Old life"]);
    await alice.browser.post("/account", { password: alice.password });
    const again = new Browser(stack, SITE);
    await again.signUp(alice.email, "a brand new password");
    expect(await todosInApi(stack, await userIdOf(again))).toEqual([]);
  });

  it("counts every attempt against the per-IP sign-in limit", async () => {
    const alice = await personWithTodos(stack, ["Guarded"]);
    for (let attempt = 0; attempt < LIMIT; attempt++) {
      expect((await alice.browser.post("/account", { password: "guess" })).status).toBe(400);
    }
    const limited = await alice.browser.post("/account", { password: alice.password });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await limited.text()).toContain("Too many attempts");
    // The same bucket as sign-in, from the same IP.
    const signIn = await alice.browser.request("/api/auth/sign-in/email", {
      method: "POST",
      headers: { origin: SITE, "content-type": "application/json" },
      body: JSON.stringify({ email: alice.email, password: alice.password }),
    });
    expect(signIn.status).toBe(429);
    expect(await todosInApi(stack, alice.id)).toEqual(["Guarded"]);
    expect((await authRows(stack, alice.id)).user).toBe(1);
  });

  it("is refused from another site (CSRF), and deletes nothing", async () => {
    const alice = await personWithTodos(stack, ["Not yours to delete"]);
    const response = await alice.browser.post(
      "/account",
      { password: alice.password },
      "https://evil.example",
    );
    expect(response.status).toBe(403);
    expect(await todosInApi(stack, alice.id)).toEqual(["Not yours to delete"]);
    expect((await authRows(stack, alice.id)).user).toBe(1);
    expect((await alice.browser.get("/account")).status).toBe(200);
  });

  it("through /api/auth/delete-user also deletes the todos first, and counts attempts", async () => {
    const alice = await personWithTodos(stack, ["Via JSON"]);
    const deleteUser = (password: string) =>
      alice.browser.request("/api/auth/delete-user", {
        method: "POST",
        headers: { origin: SITE, "content-type": "application/json" },
        body: JSON.stringify({ password }),
      });
    const wrong = await deleteUser("wrong password");
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { code: string }).code).toBe("INVALID_PASSWORD");
    expect(await todosInApi(stack, alice.id)).toEqual(["Via JSON"]);

    const right = await deleteUser(alice.password);
    expect(right.status).toBe(200);
    expect(await todosInApi(stack, alice.id)).toEqual([]);
    expect(await authRows(stack, alice.id)).toEqual({ user: 0, sessions: 0, accounts: 0 });
    expect(alice.browser.cookies.has(TOKEN)).toBe(false);
    // Two attempts counted; one left in this IP's window.
    expect((await deleteUser("anything")).status).toBe(401);
    expect((await deleteUser("anything")).status).toBe(429);
  });
});

describe("deleting an account when the API is unreachable", () => {
  let down: Stack;
  beforeAll(async () => {
    // The site's API_URL points where nothing listens; the API itself still runs.
    down = await startStack({ siteVars: { API_URL: "http://127.0.0.1:9" } });
  });
  afterAll(() => down?.close());

  it("deletes nothing and says so in plain words", async () => {
    const browser = new Browser(down, SITE);
    const { email, password } = await browser.signUp();
    const id = await userIdOf(browser);
    const { token } = await mintToken(id, JWT_SECRET, undefined, await homeShard(down, id));
    const created = await down.api("/api/todos", {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ title: "Survives the outage" }),
    });
    expect(created.status).toBe(201);

    const response = await browser.post("/account", { password });
    expect(response.status).toBe(502);
    expect(await response.text()).toContain("Can&#39;t reach the todo service");
    expect(setCookies(response).map((cookie) => cookie.name)).not.toContain(SESSION);

    expect(await todosInApi(down, id)).toEqual(["Survives the outage"]);
    expect(await authRows(down, id)).toEqual({ user: 1, sessions: 1, accounts: 1 });
    expect((await browser.get("/account")).status).toBe(200);
    expect(await canSignIn(down, email, password)).toBe(true);
  });
});
