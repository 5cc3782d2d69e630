import { mintToken } from "@todo/worker/token";
import { decode, verify } from "hono/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser, cookieNamed, setCookies } from "./browser.ts";
import { JWT_SECRET, SITE, type Stack, startStack } from "./stack.ts";
import { authRows, userIdOf } from "./stored.ts";

const TOKEN = "todo_token";
const SESSION = "better-auth.session_token";
const now = () => Math.floor(Date.now() / 1000);

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

describe("the API token minted after sign-up and sign-in", () => {
  it("is set as an httpOnly, SameSite=Lax cookie for 30 minutes, without Secure on http", async () => {
    const { response } = await new Browser(stack, SITE).signUp();
    expect(response.headers.get("location")).toBe("/todos");
    const cookie = cookieNamed(response, TOKEN);
    expect(cookie).toBeDefined();
    expect(cookie?.attributes.has("httponly")).toBe(true);
    expect(cookie?.attributes.get("samesite")).toBe("Lax");
    expect(cookie?.attributes.get("path")).toBe("/");
    expect(cookie?.attributes.get("max-age")).toBe("1800");
    expect(cookie?.attributes.has("secure")).toBe(false);
    expect(cookieNamed(response, SESSION)).toBeDefined();
  });

  it("carries the API token's claims, signed HS256 with JWT_SECRET", async () => {
    const browser = new Browser(stack, SITE);
    await browser.signUp();
    const token = browser.cookies.get(TOKEN) ?? "";
    const { header, payload } = decode(token);
    expect(header.alg).toBe("HS256");
    expect(payload).toMatchObject({
      sub: await userIdOf(browser),
      iss: "todo-site",
      aud: "todo-api",
    });
    expect(payload.exp).toBe((payload.iat as number) + 1800);
    expect(Math.abs((payload.iat as number) - now())).toBeLessThan(60);
    expect(payload.jti).toEqual(expect.any(String));
    await expect(verify(token, JWT_SECRET, "HS256")).resolves.toBeTruthy();
  });

  it("is accepted by the API as the signed-in user", async () => {
    const browser = new Browser(stack, SITE);
    await browser.signUp();
    const response = await stack.api("/api/me", {
      headers: { authorization: `Bearer ${browser.cookies.get(TOKEN)}` },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ userId: await userIdOf(browser) });
  });

  it("is minted again by sign-in through the form and through /api/auth", async () => {
    const first = new Browser(stack, SITE);
    const { email, password } = await first.signUp();

    const viaForm = new Browser(stack, SITE);
    const response = await viaForm.post("/sign-in", { email, password });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/todos");
    expect(cookieNamed(response, TOKEN)?.attributes.get("max-age")).toBe("1800");

    const viaApi = new Browser(stack, SITE);
    const json = await viaApi.request("/api/auth/sign-in/email", {
      method: "POST",
      headers: { origin: SITE, "content-type": "application/json" },
      body: JSON.stringify({ email, password }),
    });
    expect(json.status).toBe(200);
    expect(decode(cookieNamed(json, TOKEN)?.value ?? "").payload.sub).toBe(await userIdOf(first));
  });
});

describe("re-minting while the session is live", () => {
  it("mints a token when the cookie is missing", async () => {
    const browser = new Browser(stack, SITE);
    await browser.signUp();
    browser.cookies.delete(TOKEN);
    const response = await browser.get("/todos");
    expect(response.status).toBe(200);
    expect(cookieNamed(response, TOKEN)?.attributes.get("max-age")).toBe("1800");
  });

  it("replaces a token with under 5 minutes left", async () => {
    const browser = new Browser(stack, SITE);
    await browser.signUp();
    const userId = await userIdOf(browser);
    const old = await mintToken(userId, JWT_SECRET, now() - 1800 + 240);
    browser.cookies.set(TOKEN, old.token);
    const response = await browser.get("/todos");
    const fresh = cookieNamed(response, TOKEN);
    expect(fresh).toBeDefined();
    expect(decode(fresh?.value ?? "").payload.exp).toBeGreaterThanOrEqual(now() + 1790);
  });

  it("keeps a token with more than 5 minutes left", async () => {
    const browser = new Browser(stack, SITE);
    await browser.signUp();
    const response = await browser.get("/todos");
    expect(cookieNamed(response, TOKEN)).toBeUndefined();
  });

  it("replaces a token that belongs to someone else or is not signed with JWT_SECRET", async () => {
    const browser = new Browser(stack, SITE);
    await browser.signUp();
    const userId = await userIdOf(browser);
    for (const token of [
      (await mintToken("someone-else", JWT_SECRET)).token,
      (await mintToken(userId, "another-secret-that-is-long-enough-0123456789")).token,
    ]) {
      browser.cookies.set(TOKEN, token);
      const response = await browser.get("/todos");
      expect(decode(cookieNamed(response, TOKEN)?.value ?? "").payload.sub).toBe(userId);
    }
  });
});

describe("sign-out", () => {
  it("revokes the session and clears both cookies; the old session can never mint again", async () => {
    const browser = new Browser(stack, SITE);
    await browser.signUp();
    const session = browser.cookies.get(SESSION) ?? "";

    const response = await browser.post("/sign-out", {});
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/sign-in");
    expect(cookieNamed(response, TOKEN)?.attributes.get("max-age")).toBe("0");
    expect(cookieNamed(response, SESSION)?.attributes.get("max-age")).toBe("0");
    expect(cookieNamed(response, "todo_bookmark")?.attributes.get("max-age")).toBe("0");

    const replay = new Browser(stack, SITE);
    replay.cookies.set(SESSION, session);
    const after = await replay.get("/todos");
    expect(after.status).toBe(302);
    expect(after.headers.get("location")).toBe("/sign-in");
    expect(cookieNamed(after, TOKEN)?.value ?? "").toBe("");
  });

  it("is refused from another site", async () => {
    const browser = new Browser(stack, SITE);
    await browser.signUp();
    const id = await userIdOf(browser);
    const response = await browser.post("/sign-out", {}, "https://evil.example");
    expect(response.status).toBe(403);
    expect(setCookies(response)).toEqual([]);
    expect((await authRows(stack, id)).sessions).toBe(1);
    expect((await browser.get("/todos")).status).toBe(200);
  });
});

describe("on https", () => {
  let secure: Stack;
  beforeAll(async () => {
    secure = await startStack({ siteVars: { BETTER_AUTH_URL: "https://todo.example" } });
  });
  afterAll(() => secure?.close());

  it("names the cookie __Host-todo_token and marks it Secure, and sends HSTS", async () => {
    const { response } = await new Browser(secure, "https://todo.example").signUp();
    const cookie = cookieNamed(response, `__Host-${TOKEN}`);
    expect(cookie?.attributes.has("secure")).toBe(true);
    expect(cookie?.attributes.get("path")).toBe("/");
    expect(cookie?.attributes.has("domain")).toBe(false);
    expect(cookieNamed(response, TOKEN)).toBeUndefined();
    expect(response.headers.get("strict-transport-security")).toMatch(/max-age=\d+/);
  });

  it("names the bookmark cookie __Host-todo_bookmark and marks it Secure", async () => {
    const browser = new Browser(secure, "https://todo.example");
    await browser.signUp();
    const page = await browser.get("/todos");
    expect(page.status).toBe(200);
    const cookie = cookieNamed(page, "__Host-todo_bookmark");
    expect(cookie?.attributes.has("secure")).toBe(true);
    expect(cookie?.attributes.has("httponly")).toBe(true);
    expect(cookie?.attributes.get("samesite")).toBe("Lax");
    expect(cookie?.attributes.get("path")).toBe("/");
    expect(cookieNamed(page, "todo_bookmark")).toBeUndefined();
  });
});
