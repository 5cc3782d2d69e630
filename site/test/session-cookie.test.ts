import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser, cookieNamed, setCookies } from "./browser.ts";
import { type Stack, startStack } from "./stack.ts";
import { todosInApi, userIdOf } from "./stored.ts";

/** The site as deployed: an https origin (requests reach it as if through that host). */
const ORIGIN = "https://todo.example";
const HOST_SESSION = "__Host-better-auth.session_token";

const isSignInRedirect = (response: Response) =>
  [302, 303].includes(response.status) &&
  (response.headers.get("location") ?? "").startsWith("/sign-in");

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ siteVars: { BETTER_AUTH_URL: ORIGIN } });
});
afterAll(() => stack?.close());

describe("on https", () => {
  it("the Better Auth session cookie carries the __Host- prefix: Secure, Path=/, no Domain", async () => {
    const browser = new Browser(stack, ORIGIN);
    const { response } = await browser.signUp();
    const session = cookieNamed(response, HOST_SESSION);
    expect(
      session,
      setCookies(response)
        .map((cookie) => cookie.name)
        .join(", "),
    ).toBeDefined();
    expect(session?.attributes.has("secure")).toBe(true);
    expect(session?.attributes.get("path")).toBe("/");
    expect(session?.attributes.has("domain")).toBe(false);
    expect(session?.attributes.has("httponly")).toBe(true);
    for (const cookie of setCookies(response)) {
      expect(cookie.name.startsWith("__Host-"), cookie.name).toBe(true);
    }
    // The session under that name is the one the site reads.
    expect((await browser.get("/todos")).status).toBe(200);
    const signedOut = await browser.post("/sign-out", {});
    expect(cookieNamed(signedOut, HOST_SESSION)?.attributes.get("max-age")).toBe("0");
    expect(isSignInRedirect(await browser.get("/todos"))).toBe(true);
  });

  it("the reset cookie is Secure and kept to the reset page", async () => {
    // Moving a token checks nothing (mail scanners open links), so any token shows it.
    const token = "AbCdEfGhIjKlMnOpQrStUvWx";
    const moved = await new Browser(stack, ORIGIN).get(`/reset-password?token=${token}`);
    expect(moved.status).toBe(303);
    expect(moved.headers.get("location")).toBe("/reset-password");
    const cookie = cookieNamed(moved, "todo_reset");
    expect(cookie?.value).toBe(token);
    expect(cookie?.attributes.has("secure")).toBe(true);
    expect(cookie?.attributes.has("httponly")).toBe(true);
    expect(cookie?.attributes.get("path")).toBe("/reset-password");
  });
});

describe("a revoked session", () => {
  it("can neither view a page nor send a todo form once revoked (locally: at once)", async () => {
    const here = new Browser(stack, ORIGIN);
    const { email, password } = await here.signUp();
    const there = new Browser(stack, ORIGIN);
    expect((await there.post("/sign-in", { email, password })).status).toBe(303);
    const id = await userIdOf(there);
    expect((await there.get("/todos")).status).toBe(200);

    expect((await here.post("/account", { intent: "sign-out-everywhere" })).status).toBe(303);
    expect(isSignInRedirect(await there.get("/todos"))).toBe(true);
    const write = await there.post("/todos", { intent: "add", title: "After revocation" });
    expect(isSignInRedirect(write)).toBe(true);
    expect(await todosInApi(stack, id)).toEqual([]);
  });
});
