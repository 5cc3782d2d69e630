import { describe, expect, it } from "vitest";
import {
  addTodo,
  callApi,
  decodeJwt,
  newPerson,
  shownTitles,
  signIn,
  signOut,
  signUp,
  tokenCookie,
} from "./support/app.ts";
import { useBrowser } from "./support/browser.ts";

const browser = useBrowser();

describe("signing up", () => {
  it("lands on /todos with the token in an HttpOnly, SameSite=Lax cookie that page scripts cannot read", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signUp(page, newPerson("Ada"));

    expect(new URL(page.url()).pathname).toBe("/todos");
    const cookie = await tokenCookie(context);
    expect(cookie).toBeDefined();
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe("Lax");
    expect(cookie?.path).toBe("/");
    const secondsLeft = (cookie?.expires ?? 0) - Date.now() / 1000;
    expect(secondsLeft).toBeGreaterThan(1700);
    expect(secondsLeft).toBeLessThanOrEqual(1800);
    const visibleToScripts = await page.evaluate(() => document.cookie);
    expect(visibleToScripts).not.toContain(cookie?.value ?? "<none>");
  });

  it("issues an HS256 token for the Better Auth user: sub, iss, aud, 30 minutes", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signUp(page, newPerson("Grace"));

    const session = await (await context.request.get("/api/auth/get-session")).json();
    const cookie = await tokenCookie(context);
    const { header, payload } = decodeJwt(cookie?.value ?? "");
    expect(header.alg).toBe("HS256");
    expect(payload.sub).toBe(session.user.id);
    expect(payload.iss).toBe("todo-site");
    expect(payload.aud).toBe("todo-api");
    expect(payload.exp - payload.iat).toBe(1800);
    expect(typeof payload.jti).toBe("string");
  });
});

describe("the token", () => {
  it("lists through the API exactly the todos the page shows; without it the API says 401", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signUp(page, newPerson("Linus"));
    for (const title of ["Water plants", "Pay rent", "Call mum"]) await addTodo(page, title);

    const token = (await tokenCookie(context))?.value;
    const response = await callApi("/api/todos", token);
    expect(response.status).toBe(200);
    const { items } = (await response.json()) as { items: Array<{ title: string }> };
    expect(items.map((todo) => todo.title)).toEqual(await shownTitles(page));
    expect(items).toHaveLength(3);

    const anonymous = await callApi("/api/todos");
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toBe('Bearer realm="todo-api"');
  });
});

describe("signing out", () => {
  it("clears both cookies, revokes the session, and signing in again finds the todos", async () => {
    const person = newPerson("Barbara");
    const context = await browser.newContext();
    const page = await context.newPage();
    await signUp(page, person);
    await addTodo(page, "Survives sign-out");
    const before = await context.cookies();
    const token = (await tokenCookie(context))?.value ?? "";
    expect(before.length).toBeGreaterThanOrEqual(2);

    await signOut(page);
    const siteCookies = (await context.cookies()).filter((cookie) => cookie.value !== "");
    expect(siteCookies).toEqual([]);

    // The old cookies, replayed: the site no longer knows the session.
    const replay = await browser.newContext();
    await replay.addCookies(before);
    const replayPage = await replay.newPage();
    await replayPage.goto("/todos");
    expect(new URL(replayPage.url()).pathname).toBe("/sign-in");

    // The API is stateless: the token works until it expires, at most 30 minutes on.
    const { payload } = decodeJwt(token);
    expect(payload.exp - Date.now() / 1000).toBeLessThanOrEqual(1800);
    expect((await callApi("/api/me", token)).status).toBe(200);

    await signIn(page, person);
    await page.waitForURL("**/todos");
    expect(await shownTitles(page)).toEqual(["Survives sign-out"]);
  });
});
