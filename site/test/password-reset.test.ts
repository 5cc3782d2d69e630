import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser, setCookies } from "./browser.ts";
import {
  mailsTo,
  openResetLink,
  resetLink,
  storedResetIdentifier,
  waitForMails,
} from "./mailbox.ts";
import { createUser } from "./people.ts";
import { SITE, type Stack, startStack } from "./stack.ts";
import { authRows } from "./stored.ts";

/** Attempts per window; each Browser has its own IP. */
const LIMIT = 3;
const NEW_PASSWORD = "a fresh new passphrase";
const SENT =
  "If an account uses that email address, we sent it a link to set a new password. The link works once, within 30 minutes.";
const BAD_LINK = '<h1 id="reset-title">This reset link doesn\'t work</h1>';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ siteVars: { AUTH_RATE_LIMIT_MAX: String(LIMIT) } });
});
afterAll(() => stack?.close());

const canSignIn = async (email: string, password: string) =>
  (await new Browser(stack, SITE).post("/sign-in", { email, password })).status === 303;
const signedIn = async (browser: Browser) => (await browser.get("/todos")).status === 200;
const forgot = (email: string, browser = new Browser(stack, SITE)) =>
  browser.post("/forgot-password", { email });

/** A person signed in on two browsers, who then asks for a reset link. */
async function personWithResetLink() {
  const { browser: here, email, password, id } = await createUser(stack);
  const there = new Browser(stack, SITE);
  await there.post("/sign-in", { email, password });
  expect((await forgot(email)).status).toBe(303);
  const [mail] = await waitForMails(stack, email);
  if (!mail) throw new Error("no email");
  return { here, there, email, password, id, mail, ...resetLink(mail) };
}

/** Follows the mailed link in a new browser, then sends the Set new password form. */
const setNewPassword = async (path: string, password: string, origin?: string) => {
  const browser = new Browser(stack, SITE);
  await openResetLink(browser, path);
  return browser.post("/reset-password", { "new-password": password }, origin);
};
const openLink = (path: string) => openResetLink(new Browser(stack, SITE), path);

describe("asking for a reset link", () => {
  it("starts from a Forgot password? link on /sign-in, on a page that asks for the email", async () => {
    const signIn = await (await new Browser(stack, SITE).get("/sign-in")).text();
    expect(signIn).toContain('<a href="/forgot-password">Forgot password?</a>');
    const page = await new Browser(stack, SITE).get("/forgot-password");
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toMatch(/<label for="email">Email<\/label>/);
    expect(html).toMatch(/<button type="submit" class="button-primary">Send reset link<\/button>/);
    expect(html).toContain('<form method="post" action="/forgot-password"');
  });

  it("mails a link to /reset-password in plain text and simple HTML, without tracking", async () => {
    const { email, mail, path, token } = await personWithResetLink();
    expect(mail.to).toBe(email);
    expect(mail.subject).toBe("Set a new password for your Todo account");
    expect(path).toBe(`/reset-password?token=${token}`);
    expect(token).toMatch(/^[A-Za-z0-9]{24}$/);
    expect(mail.link).toBe(`${SITE}${path}`);
    expect(mail.text).toContain(mail.link);
    expect(mail.text).toContain("within 30 minutes");
    expect(mail.html).toContain(`<a href="${mail.link}">`);
    expect(mail.html).not.toMatch(/<img|<script|<style|utm_/i);
    expect(mail.html.match(/href=/g)).toHaveLength(1);
  });

  it("answers an unknown email exactly as a known one, and mails nobody", async () => {
    const known = new Browser(stack, SITE);
    const { email } = await known.signUp();
    const unknown = `nobody-${crypto.randomUUID()}@example.com`;
    const forUnknown = await forgot(unknown);
    const forKnown = await forgot(email);
    for (const response of [forUnknown, forKnown]) {
      expect(response.status).toBe(303);
      expect(response.headers.get("location")).toBe("/forgot-password?sent");
      expect(setCookies(response)).toEqual([]);
      expect(await response.text()).toBe("");
    }
    await waitForMails(stack, email);
    expect(await mailsTo(stack, unknown)).toEqual([]);

    const page = await new Browser(stack, SITE).get("/forgot-password?sent");
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(SENT);
  });

  it("asks for an email address, and a valid one", async () => {
    const empty = await forgot("");
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain("Enter your email address.");
    const invalid = await forgot("not an email");
    expect(invalid.status).toBe(400);
    const html = await invalid.text();
    expect(html).toContain("Enter a valid email address");
    expect(html).toContain('value="not an email"');
  });

  it("is limited per client address", async () => {
    const browser = new Browser(stack, SITE);
    for (let attempt = 0; attempt < LIMIT; attempt++) {
      expect(
        (await forgot(`someone-${attempt}-${crypto.randomUUID()}@example.com`, browser)).status,
      ).toBe(303);
    }
    const limited = await forgot(`someone-else-${crypto.randomUUID()}@example.com`, browser);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await limited.text()).toContain("Too many attempts");
  });

  it("is limited per email address, whatever the client address, and alike for unknown emails", async () => {
    const known = new Browser(stack, SITE);
    const { email } = await known.signUp();
    const unknown = `nobody-${crypto.randomUUID()}@example.com`;
    for (const address of [email, unknown]) {
      for (let attempt = 0; attempt < LIMIT; attempt++) {
        expect((await forgot(address)).status).toBe(303);
      }
      const limited = await forgot(address.toUpperCase());
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    }
    expect(await waitForMails(stack, email, LIMIT)).toHaveLength(LIMIT);
  });

  it("is refused from another site (CSRF), and mails nothing", async () => {
    const known = new Browser(stack, SITE);
    const { email } = await known.signUp();
    const response = await new Browser(stack, SITE).post(
      "/forgot-password",
      { email },
      "https://evil.example",
    );
    expect(response.status).toBe(403);
    // A later request's email arrives alone: the refused one sent nothing.
    await forgot(email);
    expect(await waitForMails(stack, email)).toHaveLength(1);
  });

  it("is open only through the pages: Better Auth's own reset endpoints answer 404", async () => {
    const json = { origin: SITE, "content-type": "application/json" };
    const known = new Browser(stack, SITE);
    const { email } = await known.signUp();
    const request = await known.request("/api/auth/request-password-reset", {
      method: "POST",
      headers: json,
      body: JSON.stringify({ email }),
    });
    expect(request.status).toBe(404);
    const reset = await known.request("/api/auth/reset-password", {
      method: "POST",
      headers: json,
      body: JSON.stringify({ token: "forged", newPassword: NEW_PASSWORD }),
    });
    expect(reset.status).toBe(404);
    const callback = await known.get("/api/auth/reset-password/forged?callbackURL=/");
    expect(callback.status).toBe(404);
    expect(await mailsTo(stack, email)).toEqual([]);
  });
});

describe("setting a new password from the link", () => {
  it("shows the New password form, sets the password, and signs out every session", async () => {
    const alice = await personWithResetLink();
    const form = await openLink(alice.path);
    expect(form.status).toBe(200);
    const html = await form.text();
    expect(html).toMatch(/<label for="new-password">New password<\/label>/);
    expect(html).toMatch(/<button type="submit" class="button-primary">Set new password<\/button>/);

    const response = await setNewPassword(alice.path, NEW_PASSWORD);
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/sign-in?password-reset");
    expect(await signedIn(alice.here)).toBe(false);
    expect(await signedIn(alice.there)).toBe(false);
    expect((await authRows(stack, alice.id)).sessions).toBe(0);
    expect(await canSignIn(alice.email, alice.password)).toBe(false);
    expect(await canSignIn(alice.email, NEW_PASSWORD)).toBe(true);
    const notice = await (await new Browser(stack, SITE).get("/sign-in?password-reset")).text();
    expect(notice).toContain("Your new password is set");
  });

  it("works once: a used link gets the plain error page", async () => {
    const alice = await personWithResetLink();
    expect((await setNewPassword(alice.path, NEW_PASSWORD)).status).toBe(303);
    const again = await openLink(alice.path);
    expect(again.status).toBe(400);
    expect(await again.text()).toContain(BAD_LINK);
    const reused = await setNewPassword(alice.path, "yet another passphrase");
    expect(reused.status).toBe(400);
    expect(await reused.text()).toContain(BAD_LINK);
    expect(await canSignIn(alice.email, NEW_PASSWORD)).toBe(true);
  });

  it("expires 30 minutes after it was sent, then gets the plain error page", async () => {
    const alice = await personWithResetLink();
    const db = await stack.authDb();
    const id = await storedResetIdentifier(alice.token);
    const row = await db
      .prepare(`SELECT expiresAt, createdAt FROM verification WHERE identifier = ?1`)
      .bind(id)
      .first<{ expiresAt: string; createdAt: string }>();
    const lifetime = (Date.parse(row?.expiresAt ?? "") - Date.parse(row?.createdAt ?? "")) / 1000;
    expect(Math.round(lifetime)).toBe(1800);

    await db
      .prepare(`UPDATE verification SET expiresAt = ?1 WHERE identifier = ?2`)
      .bind(new Date(Date.now() - 1000).toISOString(), id)
      .run();
    const expired = await openLink(alice.path);
    expect(expired.status).toBe(400);
    expect(await expired.text()).toContain(BAD_LINK);
    const late = await setNewPassword(alice.path, NEW_PASSWORD);
    expect(late.status).toBe(400);
    expect(await late.text()).toContain(BAD_LINK);
    expect(await canSignIn(alice.email, alice.password)).toBe(true);
    expect(await signedIn(alice.there)).toBe(true);
  });

  it("answers a forged or missing token with the plain error page, never a 500", async () => {
    for (const path of [
      "/reset-password?token=forged-token",
      "/reset-password",
      "/reset-password?token=",
    ]) {
      const response = await openLink(path);
      expect(response.status).toBe(400);
      expect(response.headers.get("content-type")).toContain("text/html");
      expect(await response.text()).toContain(BAD_LINK);
    }
    const forged = await setNewPassword("/reset-password?token=forged", NEW_PASSWORD);
    expect(forged.status).toBe(400);
    expect(await forged.text()).toContain(BAD_LINK);
  });

  it("refuses a short new password in plain words and keeps the link usable", async () => {
    const alice = await personWithResetLink();
    const short = await setNewPassword(alice.path, "fourteen chars");
    expect(short.status).toBe(400);
    const html = await short.text();
    expect(html).toContain("Password too short: use at least 15 characters.");
    expect(html).not.toContain(alice.token);
    const empty = await setNewPassword(alice.path, "");
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain("Choose a new password of at least 15 characters.");
    expect(await canSignIn(alice.email, alice.password)).toBe(true);
    expect((await setNewPassword(alice.path, NEW_PASSWORD)).status).toBe(303);
  });

  it("is refused from another site (CSRF), and changes nothing", async () => {
    const alice = await personWithResetLink();
    const response = await setNewPassword(alice.path, NEW_PASSWORD, "https://evil.example");
    expect(response.status).toBe(403);
    expect(await canSignIn(alice.email, alice.password)).toBe(true);
    expect((await openLink(alice.path)).status).toBe(200);
  });
});

describe("the dev mailbox", () => {
  it("does not exist in a production build: /dev/mailbox is the 404 page", async () => {
    const known = new Browser(stack, SITE);
    const { email } = await known.signUp();
    await forgot(email);
    await waitForMails(stack, email);
    const response = await known.get("/dev/mailbox");
    expect(response.status).toBe(404);
    const html = await response.text();
    expect(html).toContain("Page not found");
    expect(html).not.toContain(email);
    expect(html).not.toContain("reset-password");
  });
});

describe("logs", () => {
  it("never carry an email's body, its link or token, or a password", async () => {
    stack.harness.clearLogs();
    const alice = await personWithResetLink();
    await openLink(alice.path);
    await setNewPassword(alice.path, NEW_PASSWORD);
    await forgot(`nobody-${crypto.randomUUID()}@example.com`);
    await canSignIn(alice.email, NEW_PASSWORD);

    const logs = stack.harness
      .getLogs()
      .map((log) => log.message)
      .join("\n");
    // The capture works: the site's one-line-per-request logs are in it.
    expect(logs).toContain('"event":"request"');
    expect(logs).toContain('"route":"/reset-password"');
    const firstLine = alice.mail.text.split("\n")[0] ?? "";
    for (const secret of [alice.token, firstLine, NEW_PASSWORD, alice.password, alice.email]) {
      expect(secret).not.toBe("");
      expect(logs).not.toContain(secret);
    }
  });
});
