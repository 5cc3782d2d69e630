import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hitRateLimit } from "../src/server/auth/rate-limit.server.ts";
import { Browser } from "./browser.ts";
import { createUser } from "./people.ts";
import { SITE, type Stack, startStack } from "./stack.ts";
import { authRows, todosInApi, userIdOf, usersWithEmail } from "./stored.ts";

const LIMIT = 3;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ siteVars: { AUTH_RATE_LIMIT_MAX: String(LIMIT) } });
});
afterAll(() => stack?.close());

const expectSecurityHeaders = (response: Response) => {
  const csp = response.headers.get("content-security-policy") ?? "";
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toMatch(/script-src 'self'/);
  expect(csp).not.toContain("unsafe-inline");
  expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  expect(response.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
};

describe("security headers", () => {
  it("are sent on every page, redirect and error, without HSTS on http", async () => {
    const browser = new Browser(stack, SITE);
    for (const path of ["/sign-in", "/sign-up", "/", "/todos", "/api/auth/get-session", "/nope"]) {
      const response = await browser.get(path);
      expectSecurityHeaders(response);
      expect(response.headers.get("strict-transport-security")).toBeNull();
    }
    expectSecurityHeaders(await browser.post("/todos", {}, "https://evil.example"));
  });

  it("let the pages run without inline scripts or styles", async () => {
    const html = await (await new Browser(stack, SITE).get("/sign-in")).text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style|\sstyle=/);
  });
});

describe("CSRF: state-changing requests from another site", () => {
  it("are refused with 403 on every form, signed in or not, and change nothing", async () => {
    const { browser } = await createUser(stack);
    await browser.post("/todos", { intent: "add", title: "Mine" });
    const id = await userIdOf(browser);
    for (const path of ["/todos", "/sign-out", "/sign-in", "/sign-up"]) {
      const response = await browser.post(
        path,
        { intent: "add", title: "x" },
        "https://evil.example",
      );
      expect(response.status).toBe(403);
    }
    expect(await todosInApi(stack, id)).toEqual(["Mine"]);
    expect(await authRows(stack, id)).toEqual({ user: 1, sessions: 1, accounts: 1 });
    expect((await browser.get("/todos")).status).toBe(200);
  });

  it("are refused when a form arrives without Origin, or marked cross-site", async () => {
    const { browser } = await createUser(stack);
    const id = await userIdOf(browser);
    const form = { "content-type": "application/x-www-form-urlencoded" };
    const noOrigin = await browser.request("/todos", {
      method: "POST",
      headers: form,
      body: "intent=add&title=x",
    });
    expect(noOrigin.status).toBe(403);
    const crossSite = await browser.request("/todos", {
      method: "POST",
      headers: { ...form, "sec-fetch-site": "cross-site" },
      body: "intent=add&title=x",
    });
    expect(crossSite.status).toBe(403);
    expect(await todosInApi(stack, id)).toEqual([]);
  });

  it("are refused by Better Auth's own check too", async () => {
    const response = await stack.site("/api/auth/sign-up/email", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        name: "Eve",
        email: "eve@example.com",
        password: "plum-orbit-lantern-47",
      }),
    });
    expect(response.status).toBe(403);
    expect(await usersWithEmail(stack, "eve@example.com")).toBe(0);
  });

  it("let the same site's forms through", async () => {
    const { browser } = await createUser(stack);
    const response = await browser.post("/todos", { intent: "add", title: "Allowed" });
    expect(response.status).toBe(303);
  });
});

describe("rate limit on sign-in and sign-up", () => {
  it(`answers 429 with Retry-After and a message on the form after ${LIMIT} sign-in attempts`, async () => {
    const browser = new Browser(stack, SITE);
    const wrong = { email: "nobody@example.com", password: "wrong password" };
    for (let attempt = 0; attempt < LIMIT; attempt++) {
      expect((await browser.post("/sign-in", wrong)).status).toBe(401);
    }
    const limited = await browser.post("/sign-in", wrong);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    const html = await limited.text();
    expect(html).toContain("Too many attempts");
    expect(html).toContain('value="nobody@example.com"');
    expectSecurityHeaders(limited);
  });

  it("counts the same IP across the form and /api/auth, separately for sign-up", async () => {
    const browser = new Browser(stack, SITE);
    const json = (body: object) =>
      browser.request("/api/auth/sign-in/email", {
        method: "POST",
        headers: { origin: SITE, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const wrong = { email: "nobody@example.com", password: "wrong password" };
    for (let attempt = 0; attempt < LIMIT; attempt++) await browser.post("/sign-in", wrong);
    const limited = await json(wrong);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).not.toBeNull();
    // Sign-up has its own bucket; another IP has its own too.
    await browser.signUp();
    const other = new Browser(stack, SITE);
    expect((await other.post("/sign-in", wrong)).status).toBe(401);
  });

  it("counts password guesses through change-password and verify-password as sign-in attempts", async () => {
    for (const path of ["/api/auth/change-password", "/api/auth/verify-password"]) {
      const { browser } = await createUser(stack);
      const guess = () =>
        browser.request(path, {
          method: "POST",
          headers: { origin: SITE, "content-type": "application/json" },
          body: JSON.stringify({
            currentPassword: "a wrong guess",
            newPassword: "a new long password",
            password: "a wrong guess",
          }),
        });
      for (let attempt = 0; attempt < LIMIT; attempt++) {
        expect((await guess()).status, path).not.toBe(429);
      }
      const limited = await guess();
      expect(limited.status, path).toBe(429);
      expect(limited.headers.get("retry-after")).not.toBeNull();
    }
  });

  it("slides: attempts older than the window no longer count", async () => {
    const db = await stack.authDb();
    const limit = { max: 2, windowSeconds: 60 };
    const key = `test:${crypto.randomUUID()}`;
    const t0 = Date.now();
    expect(await hitRateLimit(db, key, limit, t0)).toEqual({ allowed: true });
    expect(await hitRateLimit(db, key, limit, t0 + 10_000)).toEqual({ allowed: true });
    expect(await hitRateLimit(db, key, limit, t0 + 20_000)).toEqual({
      allowed: false,
      retryAfterSeconds: 40,
    });
    expect(await hitRateLimit(db, key, limit, t0 + 60_001)).toEqual({ allowed: true });
  });
});
