import { hashPassword as hashLegacy } from "better-auth/crypto";
import { describe, expect, it } from "vitest";
import { passwordHashing } from "../src/server/auth/password.server.ts";
import {
  CURRENT_PARAMS,
  hasCurrentParams,
  hashScrypt,
  MAX_MEMORY_BYTES,
  parseScryptHash,
  scryptMemoryBytes,
  verifyScrypt,
  withinLimits,
} from "../src/server/auth/scrypt-hash.server.ts";

const PASSWORD = "correct horse battery staple";
const PHC = /^\$scrypt\$ln=14,r=8,p=5\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/;

/** Swaps one base64 character of the key for another, keeping the string well formed. */
const tamper = (hash: string) => {
  const last = hash.at(-2) === "A" ? "B" : "A";
  return `${hash.slice(0, -2)}${last}${hash.at(-1)}`;
};

describe("the scrypt PHC string", () => {
  it("records ln=14, r=8, p=5, a 16-byte salt and a 32-byte key, unpadded base64", async () => {
    const hash = await hashScrypt(PASSWORD);
    expect(hash).toMatch(PHC);
    const parsed = parseScryptHash(hash);
    expect(parsed?.params).toEqual({ ln: 14, r: 8, p: 5 });
    expect(parsed?.salt.length).toBe(16);
    expect(parsed?.key.length).toBe(32);
  });

  it("uses a fresh salt each time", async () => {
    expect(await hashScrypt(PASSWORD)).not.toBe(await hashScrypt(PASSWORD));
  });

  it("fits the memory bound with room: about 16 MiB of 32", () => {
    expect(scryptMemoryBytes(CURRENT_PARAMS)).toBeLessThan(17 * 1024 * 1024);
    expect(MAX_MEMORY_BYTES).toBe(32 * 1024 * 1024);
    expect(withinLimits(CURRENT_PARAMS)).toBe(true);
  });
});

describe("verifying a scrypt PHC string", () => {
  it("accepts the right password and refuses a wrong one", async () => {
    const hash = await hashScrypt(PASSWORD);
    expect(await verifyScrypt(hash, PASSWORD)).toBe(true);
    expect(await verifyScrypt(hash, `${PASSWORD}!`)).toBe(false);
  });

  it("matches the password however its Unicode is composed (NFKC, as Better Auth)", async () => {
    const hash = await hashScrypt("caf\u00e9 au lait");
    expect(await verifyScrypt(hash, "cafe\u0301 au lait")).toBe(true);
  });

  it("refuses a tampered key, salt or parameter", async () => {
    const hash = await hashScrypt(PASSWORD);
    expect(await verifyScrypt(tamper(hash), PASSWORD)).toBe(false);
    const [, , params, salt, key] = hash.split("$");
    const otherSalt = `${salt?.[0] === "A" ? "B" : "A"}${salt?.slice(1)}`;
    expect(await verifyScrypt(`$scrypt$${params}$${otherSalt}$${key}`, PASSWORD)).toBe(false);
    expect(await verifyScrypt(hash.replace("p=5", "p=4"), PASSWORD)).toBe(false);
  });

  it("verifies a hash made with other parameters, which then needs re-hashing", async () => {
    const older = await hashScrypt(PASSWORD, { ln: 14, r: 8, p: 1 });
    expect(older).toMatch(/^\$scrypt\$ln=14,r=8,p=1\$/);
    expect(await verifyScrypt(older, PASSWORD)).toBe(true);
    expect(hasCurrentParams(older)).toBe(false);
    expect(hasCurrentParams(await hashScrypt(PASSWORD))).toBe(true);
  });

  it.each([
    ["empty", ""],
    ["another scheme", "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5"],
    ["no key", "$scrypt$ln=14,r=8,p=5$c2FsdHNhbHRzYWx0c2FsdA"],
    ["a missing parameter", "$scrypt$ln=14,r=8$c2FsdHNhbHRzYWx0c2FsdA$a2V5a2V5a2V5a2V5a2V5a2V5"],
    ["padded base64", "$scrypt$ln=14,r=8,p=5$c2FsdHNhbHRzYWx0c2FsdA==$a2V5a2V5a2V5a2V5a2V5a2V5"],
    ["base64url", "$scrypt$ln=14,r=8,p=5$c2FsdHNh_HRzYWx0c2FsdA$a2V5a2V5a2V5a2V5a2V5a2V5"],
    ["a salt under 8 bytes", "$scrypt$ln=14,r=8,p=5$c2FsdA$a2V5a2V5a2V5a2V5a2V5a2V5"],
    ["a key under 16 bytes", "$scrypt$ln=14,r=8,p=5$c2FsdHNhbHRzYWx0c2FsdA$a2V5a2V5"],
    ["extra fields", "$scrypt$ln=14,r=8,p=5$x$c2FsdHNhbHRzYWx0c2FsdA$a2V5a2V5a2V5a2V5a2V5a2V5"],
  ])("returns false without throwing for %s", async (_, stored) => {
    expect(parseScryptHash(stored)).toBeUndefined();
    await expect(verifyScrypt(stored, PASSWORD)).resolves.toBe(false);
  });
});

describe("the bounds on a stored hash", () => {
  const withParams = (params: string) =>
    `$scrypt$${params}$c2FsdHNhbHRzYWx0c2FsdA$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U`;

  it("reads parameters within the bounds", () => {
    expect(parseScryptHash(withParams("ln=14,r=8,p=1"))?.params).toEqual({ ln: 14, r: 8, p: 1 });
    expect(parseScryptHash(withParams("ln=13,r=8,p=10"))?.params).toEqual({ ln: 13, r: 8, p: 10 });
  });

  it.each([
    ["N above 2^16", "ln=17,r=1,p=1"],
    ["more than 32 MiB (N=2^16, r=8)", "ln=16,r=8,p=1"],
    ["32 MiB and a few blocks (N=2^15, r=8)", "ln=15,r=8,p=3"],
    ["work above N=2^17 r=8 p=1 (N=2^14 r=8 p=16)", "ln=14,r=8,p=16"],
    ["r above 16", "ln=10,r=17,p=1"],
    ["p above 16", "ln=10,r=1,p=17"],
    ["a zero", "ln=0,r=8,p=1"],
    ["a huge number", "ln=99,r=99,p=99"],
  ])("refuses %s before hashing anything", async (_, params) => {
    const stored = withParams(params);
    expect(parseScryptHash(stored)).toBeUndefined();
    await expect(verifyScrypt(stored, PASSWORD)).resolves.toBe(false);
  });
});

describe("Better Auth's password options", () => {
  it("hash at the current setting", async () => {
    const hash = await passwordHashing.hash(PASSWORD);
    expect(hash).toMatch(PHC);
    expect(await passwordHashing.verify({ hash, password: PASSWORD })).toBe(true);
  });

  it("verify Better Auth's legacy salt:key hash with its own function", async () => {
    const hash = await hashLegacy(PASSWORD);
    expect(hash).toMatch(/^[0-9a-f]{32}:[0-9a-f]{128}$/);
    expect(await passwordHashing.verify({ hash, password: PASSWORD })).toBe(true);
    expect(await passwordHashing.verify({ hash, password: "wrong password" })).toBe(false);
    expect(hasCurrentParams(hash)).toBe(false);
  });

  it.each([["not a hash"], [":"], ["abc:"], ["zz:zz"]])(
    "refuse %j without throwing",
    async (hash) => {
      await expect(passwordHashing.verify({ hash, password: PASSWORD })).resolves.toBe(false);
    },
  );
});
