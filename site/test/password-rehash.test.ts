import { hashPassword as hashLegacy } from "better-auth/crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashScrypt } from "../src/server/auth/scrypt-hash.server.ts";
import { Browser } from "./browser.ts";
import { createUser } from "./people.ts";
import { SITE, type Stack, startStack } from "./stack.ts";

/** A PHC string at the current setting: scrypt N=2^14, r=8, p=5, 16-byte salt, 32-byte key. */
const CURRENT = /^\$scrypt\$ln=14,r=8,p=5\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/;
const SESSION = "better-auth.session_token";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

/** The credential account's stored password hash, read from the site's D1. */
async function storedHash(email: string): Promise<string | undefined> {
  const db = await stack.authDb();
  const row = await db
    .prepare(
      `SELECT a.password AS password FROM "account" a JOIN "user" u ON u.id = a.userId
       WHERE u.email = ?1 AND a.providerId = 'credential'`,
    )
    .bind(email)
    .first<{ password: string }>();
  return row?.password;
}

/** Replaces a person's stored hash, as an older release of the site would have written it. */
async function storeHash(email: string, hash: string): Promise<void> {
  const db = await stack.authDb();
  const result = await db
    .prepare(
      `UPDATE "account" SET password = ?1
       WHERE providerId = 'credential' AND userId = (SELECT id FROM "user" WHERE email = ?2)`,
    )
    .bind(hash, email)
    .run();
  expect(result.meta.changes).toBe(1);
}

/** Someone who signed up, whose stored hash is then `makeHash(password)`. */
async function personWithHash(makeHash: (password: string) => Promise<string>) {
  const { email, password } = await createUser(stack);
  const hash = await makeHash(password);
  await storeHash(email, hash);
  return { email, password, hash };
}

const signIn = (email: string, password: string) =>
  new Browser(stack, SITE).post("/sign-in", { email, password });

describe("sign-up", () => {
  it("stores the password as a scrypt PHC string at N=2^14, r=8, p=5", async () => {
    const { email } = await new Browser(stack, SITE).signUp();
    expect(await storedHash(email)).toMatch(CURRENT);
  });
});

describe("signing in with a hash from Better Auth's own format (salt:key)", () => {
  it("succeeds, and the stored hash becomes a PHC string at the current setting", async () => {
    const person = await personWithHash((password) => hashLegacy(password));
    expect(person.hash).toMatch(/^[0-9a-f]{32}:[0-9a-f]{128}$/);

    const response = await signIn(person.email, person.password);
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/todos");
    expect(response.headers.getSetCookie().some((c) => c.startsWith(`${SESSION}=`))).toBe(true);
    const upgraded = await storedHash(person.email);
    expect(upgraded).toMatch(CURRENT);

    // The new hash verifies, and one at the current setting is left as it is.
    expect((await signIn(person.email, person.password)).status).toBe(303);
    expect(await storedHash(person.email)).toBe(upgraded);
  });

  it("refuses a wrong password and leaves the stored hash as it was", async () => {
    const person = await personWithHash((password) => hashLegacy(password));
    const response = await signIn(person.email, "not the password");
    expect(response.status).toBe(401);
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(await response.text()).toContain("Invalid email or password");
    expect(await storedHash(person.email)).toBe(person.hash);
  });
});

describe("signing in with a PHC hash at older parameters (ln=14, r=8, p=1)", () => {
  it("succeeds, and the stored hash is re-made at the current setting", async () => {
    const person = await personWithHash((password) => hashScrypt(password, { ln: 14, r: 8, p: 1 }));
    expect(person.hash).toMatch(/^\$scrypt\$ln=14,r=8,p=1\$/);
    expect((await signIn(person.email, person.password)).status).toBe(303);
    expect(await storedHash(person.email)).toMatch(CURRENT);
  });

  it("re-hashes on a direct call to /api/auth/sign-in/email too", async () => {
    const person = await personWithHash((password) => hashScrypt(password, { ln: 14, r: 8, p: 1 }));
    const response = await new Browser(stack, SITE).request("/api/auth/sign-in/email", {
      method: "POST",
      headers: { origin: SITE, "content-type": "application/json" },
      body: JSON.stringify({ email: person.email, password: person.password }),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { user: { email: string } }).user.email).toBe(person.email);
    expect(await storedHash(person.email)).toMatch(CURRENT);
  });
});
