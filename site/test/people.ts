/**
 * People who already have an account, made straight in the auth database: for
 * tests about something other than signing up. A sign-up hashes the password
 * with scrypt at the production setting (about 130 ms of CPU); here the hash of
 * {@link PASSWORD} is made once per run and every person gets a copy, with a live
 * session whose cookie is signed as Better Auth signs it. The person can sign in
 * with the password like anyone else. Like a browser just signed up, theirs
 * holds the session and API token cookies (from one view of /account, which
 * mints the token and calls no API) and no bookmark.
 */
import { makeSignature } from "better-auth/crypto";
import { hashScrypt } from "../src/server/auth/scrypt-hash.server.ts";
import { Browser } from "./browser.ts";
import { BETTER_AUTH_SECRET, SITE, type Stack } from "./stack.ts";

/** Every created person's password (16+ characters, not a common one). */
export const PASSWORD = "plum-orbit-lantern-47";

/** Better Auth's session cookie on http (on https it gets the `__Secure-` prefix). */
const SESSION_COOKIE = "better-auth.session_token";
const DAY_MS = 24 * 60 * 60 * 1000;

let passwordHash: Promise<string> | undefined;

export type Person = { browser: Browser; email: string; password: string; id: string };

/**
 * A person with an account and a browser signed in as them on `stack` (an http
 * origin; for an https stack, sign up with `Browser.signUp`).
 */
export async function createUser(
  stack: Stack,
  { email = `person-${crypto.randomUUID()}@example.com`, name = "Test Person", origin = SITE } = {},
): Promise<Person> {
  if (new URL(origin).protocol !== "http:") throw new Error("createUser makes http sessions only");
  passwordHash ??= hashScrypt(PASSWORD);
  const hash = await passwordHash;
  const id = crypto.randomUUID().replaceAll("-", "");
  const token = `${crypto.randomUUID()}${crypto.randomUUID()}`.replaceAll("-", "").slice(0, 32);
  const browser = new Browser(stack, origin);
  const now = new Date();
  const at = now.toISOString();
  const db = await stack.authDb();
  await db.batch([
    db
      .prepare(
        `INSERT INTO "user" (id, name, email, emailVerified, createdAt, updatedAt) VALUES (?1, ?2, ?3, 0, ?4, ?4)`,
      )
      .bind(id, name, email.toLowerCase(), at),
    db
      .prepare(
        `INSERT INTO "account" (id, accountId, providerId, userId, password, createdAt, updatedAt)
         VALUES (?1, ?2, 'credential', ?2, ?3, ?4, ?4)`,
      )
      .bind(crypto.randomUUID(), id, hash, at),
    db
      .prepare(
        `INSERT INTO "session" (id, expiresAt, token, createdAt, updatedAt, ipAddress, userAgent, userId)
         VALUES (?1, ?2, ?3, ?4, ?4, ?5, '', ?6)`,
      )
      .bind(
        crypto.randomUUID(),
        new Date(now.getTime() + 7 * DAY_MS).toISOString(),
        token,
        at,
        browser.ip,
        id,
      ),
  ]);
  const signed = `${token}.${await makeSignature(token, BETTER_AUTH_SECRET)}`;
  browser.cookies.set(SESSION_COOKIE, encodeURIComponent(signed));
  const account = await browser.get("/account");
  await account.body?.cancel();
  if (account.status !== 200 || !browser.cookies.has("todo_token")) {
    throw new Error(`the created session was not taken: /account answered ${account.status}`);
  }
  return { browser, email: email.toLowerCase(), password: PASSWORD, id };
}
