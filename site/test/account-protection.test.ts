import { hashPassword as hashLegacy } from "better-auth/crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accountKey } from "../src/server/auth/account-key.server.ts";
import { Browser } from "./browser.ts";
import { openResetLink, resetLink, waitForMails } from "./mailbox.ts";
import { BETTER_AUTH_SECRET, SITE, type Stack, startStack } from "./stack.ts";

/** Failed password checks per account before it is paused; small, so the tests reach it. */
const FAILURES = 3;
const GOOD = "plum-orbit-lantern-47";
const LOCKED = "Too many wrong passwords for this account.";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    siteVars: {
      AUTH_ACCOUNT_FAILURE_MAX: String(FAILURES),
      AUTH_ACCOUNT_FAILURE_WINDOW_SECONDS: "900",
    },
  });
});
afterAll(() => stack?.close());

const newEmail = (name = "person") => `${name}-${crypto.randomUUID()}@example.com`;
/** Each sign-in from a new browser: a new client address every time. */
const signIn = (email: string, password: string) =>
  new Browser(stack, SITE).post("/sign-in", { email, password });
const apiSignIn = (email: string, password: string) =>
  new Browser(stack, SITE).request("/api/auth/sign-in/email", {
    method: "POST",
    headers: { origin: SITE, "content-type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
const signUp = (email: string, password: string) =>
  new Browser(stack, SITE).post("/sign-up", { name: "Pat", email, password });

async function failTimes(email: string, times: number) {
  for (let attempt = 0; attempt < times; attempt++) {
    expect((await signIn(email, `wrong guess number ${attempt}!`)).status).toBe(401);
  }
}

describe("a new password", () => {
  it("has at least 15 characters: 14 are refused in plain words, 15 with spaces are fine", async () => {
    const short = await signUp(newEmail(), "fourteen chars");
    expect(short.status).toBe(400);
    expect(await short.text()).toContain("Password too short: use at least 15 characters.");
    expect((await signUp(newEmail(), "fifteen chars!!")).status).toBe(303);
  });

  it("counts characters, not bytes: any Unicode, up to 128 characters", async () => {
    expect((await signUp(newEmail(), "ñandú 漢字 café 🌍🌍")).status).toBe(303);
    expect((await signUp(newEmail(), "🌍".repeat(128))).status).toBe(303);
    const tooLong = await signUp(newEmail(), "🌍".repeat(129));
    expect(tooLong.status).toBe(400);
    expect(await tooLong.text()).toContain("Password too long: use at most 128 characters.");
    // Eight emoji are sixteen UTF-16 units, yet eight characters.
    expect((await signUp(newEmail(), "🌍".repeat(8))).status).toBe(400);
  });

  it("is not a common password, whatever its case", async () => {
    for (const common of ["passwordpassword", "1qaz2wsx3edc4rfv", "PasswordPassword"]) {
      const response = await signUp(newEmail(), common);
      expect(response.status).toBe(400);
      const html = await response.text();
      expect(html).toContain("That password is too common");
      expect(html).not.toContain(common);
    }
  });

  it("does not contain the email address or its local part", async () => {
    const email = newEmail("marguerite");
    const local = email.split("@")[0] ?? "";
    for (const password of [`my ${email.toUpperCase()} rocks`, `hello ${local.toUpperCase()}`]) {
      const response = await signUp(email, password);
      expect(response.status).toBe(400);
      expect(await response.text()).toContain("That password contains your email address.");
    }
    expect((await signUp(email, GOOD)).status).toBe(303);
  });

  it("follows the same rule on Better Auth's own endpoint", async () => {
    const response = await new Browser(stack, SITE).request("/api/auth/sign-up/email", {
      method: "POST",
      headers: { origin: SITE, "content-type": "application/json" },
      body: JSON.stringify({ name: "Pat", email: newEmail(), password: "passwordpassword" }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { code: string }).code).toBe("PASSWORD_TOO_COMMON");
  });

  it("follows the rule on change and on reset, and the hints state it", async () => {
    const browser = new Browser(stack, SITE);
    const { email, password } = await browser.signUp();
    const account = await browser.get("/account");
    expect(await account.text()).toContain("15 to 128 characters");
    const changed = await browser.post("/account", {
      intent: "change-password",
      "current-password": password,
      "new-password": "1qaz2wsx3edc4rfv",
    });
    expect(changed.status).toBe(400);
    expect(await changed.text()).toContain("That password is too common");

    expect((await browser.post("/forgot-password", { email })).status).toBe(303);
    const [mail] = await waitForMails(stack, email);
    if (!mail) throw new Error("no email");
    const resetter = new Browser(stack, SITE);
    expect(await (await openResetLink(resetter, resetLink(mail).path)).text()).toContain(
      "15 to 128 characters",
    );
    const reset = await resetter.post("/reset-password", { "new-password": `x ${email} x` });
    expect(reset.status).toBe(400);
    expect(await reset.text()).toContain("That password contains your email address.");
    expect((await signIn(email, password)).status).toBe(303);
  });
});

describe("an older, shorter password", () => {
  it("still signs in, and /account suggests a longer one until it is changed", async () => {
    const browser = new Browser(stack, SITE);
    const { email } = await browser.signUp();
    const old = "short pw 8";
    const db = await stack.authDb();
    await db
      .prepare(
        `UPDATE "account" SET password = ?1
         WHERE providerId = 'credential' AND userId = (SELECT id FROM "user" WHERE email = ?2)`,
      )
      .bind(await hashLegacy(old), email)
      .run();
    const there = new Browser(stack, SITE);
    expect((await there.post("/sign-in", { email, password: old })).status).toBe(303);
    expect(await (await there.get("/account")).text()).toContain(
      "Your password is shorter than 15 characters.",
    );
    const changed = await there.post("/account", {
      intent: "change-password",
      "current-password": old,
      "new-password": GOOD,
    });
    expect(changed.status).toBe(303);
    expect(await (await there.get("/account")).text()).not.toContain("shorter than 15");
    const again = new Browser(stack, SITE);
    expect((await again.post("/sign-in", { email, password: GOOD })).status).toBe(303);
    expect(await (await again.get("/account")).text()).not.toContain("shorter than 15");
  });
});

describe("failed password checks per account", () => {
  it("pause the account after the limit, from every client address, on the form and the API", async () => {
    const { email, password } = await new Browser(stack, SITE).signUp();
    await failTimes(email, FAILURES);
    const form = await signIn(email, password);
    expect(form.status).toBe(429);
    expect(Number(form.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(Number(form.headers.get("retry-after"))).toBeLessThanOrEqual(900);
    const html = await form.text();
    expect(html).toContain(LOCKED);
    expect(html).toContain(`value="${email}"`);
    const api = await apiSignIn(email, password);
    expect(api.status).toBe(429);
    expect(Number(api.headers.get("retry-after"))).toBeGreaterThan(0);
    // Another account is not touched.
    const other = await new Browser(stack, SITE).signUp();
    expect((await signIn(other.email, other.password)).status).toBe(303);
  });

  it("count an unknown address exactly like a known one, and ignore case", async () => {
    const unknown = newEmail("nobody");
    await failTimes(unknown.toUpperCase(), FAILURES);
    const form = await signIn(unknown, "whatever it may be");
    expect(form.status).toBe(429);
    expect(await form.text()).toContain(LOCKED);
    expect((await apiSignIn(unknown, "whatever it may be")).status).toBe(429);
  });

  it("count the current password of change-password and delete-account", async () => {
    const browser = new Browser(stack, SITE);
    const { email, password } = await browser.signUp();
    const change = (current: string) =>
      browser.post("/account", {
        intent: "change-password",
        "current-password": current,
        "new-password": GOOD,
      });
    expect((await change("not my password at all")).status).toBe(400);
    expect((await browser.post("/account", { password: "still not it, sorry" })).status).toBe(400);
    expect((await signIn(email, "a third wrong password")).status).toBe(401);
    const paused = await change(password);
    expect(paused.status).toBe(429);
    expect(await paused.text()).toContain(LOCKED);
    expect((await browser.post("/account", { password })).status).toBe(429);
    expect((await signIn(email, password)).status).toBe(429);
  });

  it("are stored under an HMAC of the address, never the address or its plain hash", async () => {
    const email = newEmail("stored");
    await failTimes(email, 1);
    expect((await new Browser(stack, SITE).post("/forgot-password", { email })).status).toBe(303);
    const db = await stack.authDb();
    const { results } = await db.prepare("SELECT key FROM auth_rate_limit").all<{ key: string }>();
    // Keyed with BETTER_AUTH_SECRET: the per-account failures, the forgot-password bucket
    // and the reset-email quota all count under the same HMAC.
    const key = await accountKey(BETTER_AUTH_SECRET, email.toUpperCase());
    for (const bucket of ["account-failure", "forgot-password-email", "reset-email"]) {
      expect(results.map((row) => row.key)).toContain(`${bucket}:${key}`);
    }
    const digest = Buffer.from(
      await crypto.subtle.digest("SHA-256", new TextEncoder().encode(email)),
    );
    const keys = results.map((row) => row.key).join("\n");
    for (const leak of [email, digest.toString("base64url"), digest.toString("hex")]) {
      expect(keys).not.toContain(leak);
    }
  });

  it("are forgotten after a successful reset", async () => {
    const { email } = await new Browser(stack, SITE).signUp();
    await failTimes(email, FAILURES);
    expect((await signIn(email, GOOD)).status).toBe(429);
    expect((await new Browser(stack, SITE).post("/forgot-password", { email })).status).toBe(303);
    const [mail] = await waitForMails(stack, email);
    if (!mail) throw new Error("no email");
    const resetter = new Browser(stack, SITE);
    await openResetLink(resetter, resetLink(mail).path);
    expect((await resetter.post("/reset-password", { "new-password": GOOD })).status).toBe(303);
    expect((await signIn(email, GOOD)).status).toBe(303);
  });
});
