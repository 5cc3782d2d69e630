import { verifyToken } from "@todo/worker/verify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser, cookieNamed } from "./browser.ts";
import { createUser } from "./people.ts";
import { JWT_SECRET, SITE, type Stack, startStack } from "./stack.ts";
import { authRows } from "./stored.ts";

const TOKEN = "todo_token";
const SESSION = "better-auth.session_token";
/** Attempts per IP; each Browser has its own IP, so only the rate-limit test reaches it. */
const LIMIT = 3;
const NEW_PASSWORD = "a much better passphrase";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ siteVars: { AUTH_RATE_LIMIT_MAX: String(LIMIT) } });
});
afterAll(() => stack?.close());

/** One person signed in on two browsers. */
async function personOnTwoBrowsers() {
  const { browser: here, email, password, id } = await createUser(stack);
  const there = new Browser(stack, SITE);
  expect((await there.post("/sign-in", { email, password })).status).toBe(303);
  return { here, there, email, password, id };
}

const canSignIn = async (email: string, password: string) =>
  (await new Browser(stack, SITE).post("/sign-in", { email, password })).status === 303;

const changePassword = (browser: Browser, current: string, next: string, origin?: string) =>
  browser.post(
    "/account",
    { intent: "change-password", "current-password": current, "new-password": next },
    origin,
  );

/** Signed in: the page answers 200. Signed out: it sends the browser to sign in. */
const signedIn = async (browser: Browser) => (await browser.get("/todos")).status === 200;

describe("the account page", () => {
  it("has a Change password form and a Sign out everywhere button that says how long tokens live on", async () => {
    const { browser } = await createUser(stack);
    const html = await (await browser.get("/account")).text();
    expect(html).toMatch(/<label for="current-password">Current password<\/label>/);
    expect(html).toMatch(/<label for="new-password">New password<\/label>/);
    expect(html).toMatch(/<button type="submit" class="button-primary">Change password<\/button>/);
    expect(html).toMatch(
      /<button type="submit" class="button-quiet">Sign out everywhere<\/button>/,
    );
    expect(html).toContain("stops working within 30 minutes at most");
  });
});

describe("changing the password", () => {
  it("sets the new password, keeps this browser signed in with a new token, and signs every other session out", async () => {
    const alice = await personOnTwoBrowsers();
    const oldSession = alice.here.cookies.get(SESSION);
    const oldToken = alice.here.cookies.get(TOKEN);

    const response = await changePassword(alice.here, alice.password, NEW_PASSWORD);
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/account?password-changed");
    const session = cookieNamed(response, SESSION);
    expect(session?.value).not.toBe("");
    expect(session?.value).not.toBe(oldSession);
    const token = cookieNamed(response, TOKEN);
    expect(token?.attributes.has("httponly")).toBe(true);
    expect(token?.attributes.get("max-age")).toBe("1800");
    expect(token?.value).not.toBe(oldToken);
    expect((await verifyToken(token?.value ?? "", [JWT_SECRET])).sub).toBe(alice.id);

    const page = await alice.here.get("/account?password-changed");
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Your password is changed.");
    expect(await signedIn(alice.here)).toBe(true);
    expect(await signedIn(alice.there)).toBe(false);
    expect((await authRows(stack, alice.id)).sessions).toBe(1);

    expect(await canSignIn(alice.email, alice.password)).toBe(false);
    expect(await canSignIn(alice.email, NEW_PASSWORD)).toBe(true);
  });

  it("refuses a wrong current password in plain words and changes nothing", async () => {
    const alice = await personOnTwoBrowsers();
    const response = await changePassword(alice.here, "not my password", NEW_PASSWORD);
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain("That current password is not right. Your password was not changed.");
    expect(html).not.toContain("not my password");
    expect(html).not.toContain(NEW_PASSWORD);
    expect(cookieNamed(response, SESSION)).toBeUndefined();
    expect(await signedIn(alice.there)).toBe(true);
    expect(await canSignIn(alice.email, alice.password)).toBe(true);
    expect(await canSignIn(alice.email, NEW_PASSWORD)).toBe(false);
  });

  it("refuses a new password shorter than 15 characters and changes nothing", async () => {
    const alice = await personOnTwoBrowsers();
    const response = await changePassword(alice.here, alice.password, "fourteen chars");
    expect(response.status).toBe(400);
    expect(await response.text()).toContain(
      "New password too short: use at least 15 characters. Your password was not changed.",
    );
    expect(await signedIn(alice.there)).toBe(true);
    expect(await canSignIn(alice.email, alice.password)).toBe(true);
  });

  it("asks for both passwords", async () => {
    const alice = await personOnTwoBrowsers();
    const noCurrent = await changePassword(alice.here, "", NEW_PASSWORD);
    expect(noCurrent.status).toBe(400);
    expect(await noCurrent.text()).toContain("Enter your current password.");
    const noNew = await changePassword(alice.here, alice.password, "");
    expect(noNew.status).toBe(400);
    expect(await noNew.text()).toContain("Choose a new password of at least 15 characters.");
    expect(await canSignIn(alice.email, alice.password)).toBe(true);
  });

  it("counts every attempt against the per-IP sign-in limit", async () => {
    const alice = await personOnTwoBrowsers();
    for (let attempt = 0; attempt < LIMIT; attempt++) {
      expect((await changePassword(alice.here, "guess", NEW_PASSWORD)).status).toBe(400);
    }
    const limited = await changePassword(alice.here, alice.password, NEW_PASSWORD);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await limited.text()).toContain("Too many attempts");
    expect(await canSignIn(alice.email, alice.password)).toBe(true);
  });

  it("is refused from another site (CSRF), and changes nothing", async () => {
    const alice = await personOnTwoBrowsers();
    const response = await changePassword(
      alice.here,
      alice.password,
      NEW_PASSWORD,
      "https://evil.example",
    );
    expect(response.status).toBe(403);
    expect(await signedIn(alice.there)).toBe(true);
    expect(await canSignIn(alice.email, alice.password)).toBe(true);
  });

  it("through /api/auth/change-password signs the other sessions out even when asked not to", async () => {
    const alice = await personOnTwoBrowsers();
    const response = await alice.here.request("/api/auth/change-password", {
      method: "POST",
      headers: { origin: SITE, "content-type": "application/json" },
      body: JSON.stringify({
        currentPassword: alice.password,
        newPassword: NEW_PASSWORD,
        revokeOtherSessions: false,
      }),
    });
    expect(response.status).toBe(200);
    expect(cookieNamed(response, TOKEN)?.value).toMatch(/^ey/);
    expect(await signedIn(alice.here)).toBe(true);
    expect(await signedIn(alice.there)).toBe(false);
  });
});

describe("signing out everywhere", () => {
  it("ends every session of the person, this one included, and clears both cookies here", async () => {
    const alice = await personOnTwoBrowsers();
    const { browser: bob } = await createUser(stack);

    const response = await alice.here.post("/account", { intent: "sign-out-everywhere" });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/sign-in?signed-out-everywhere");
    for (const name of [SESSION, TOKEN]) {
      const cleared = cookieNamed(response, name);
      expect(cleared?.value).toBe("");
      expect(cleared?.attributes.get("max-age")).toBe("0");
    }
    expect(alice.here.cookies.size).toBe(0);
    expect((await authRows(stack, alice.id)).sessions).toBe(0);
    expect(await signedIn(alice.there)).toBe(false);
    expect(await signedIn(bob)).toBe(true);

    const notice = await (await alice.here.get("/sign-in?signed-out-everywhere")).text();
    expect(notice).toContain("You are signed out everywhere");
    expect(notice).toContain("within 30 minutes at most");
    expect(await canSignIn(alice.email, alice.password)).toBe(true);
  });

  it("is refused from another site (CSRF), and signs nobody out", async () => {
    const alice = await personOnTwoBrowsers();
    const response = await alice.here.post(
      "/account",
      { intent: "sign-out-everywhere" },
      "https://evil.example",
    );
    expect(response.status).toBe(403);
    expect(await signedIn(alice.here)).toBe(true);
    expect(await signedIn(alice.there)).toBe(true);
  });
});
