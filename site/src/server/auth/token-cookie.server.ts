import type { ShardId } from "@todo/worker/shards";
import { mintToken, TOKEN_TTL_SECONDS } from "@todo/worker/token";
import { hmacKey, type VerifiedClaims, verifyToken } from "@todo/worker/verify";

/**
 * The API token lives in this cookie and nowhere else the browser can read:
 * `HttpOnly; SameSite=Lax; Path=/; Max-Age=1800`, plus `Secure` and the
 * `__Host-` prefix on https.
 */
const BASE_NAME = "todo_token";

/** A token with less than this left is replaced while the session is live. */
export const REMINT_WITHIN_SECONDS = 5 * 60;

export type TokenCookie = {
  name: string;
  value: string;
  options: {
    httpOnly: true;
    sameSite: "lax";
    path: "/";
    maxAge: number;
    secure: boolean;
  };
};

/** The cookie's name: `__Host-todo_token` on https, `todo_token` on plain http (local dev). */
export function tokenCookieName(secure: boolean): string {
  return secure ? `__Host-${BASE_NAME}` : BASE_NAME;
}

function tokenCookie(value: string, maxAge: number, secure: boolean): TokenCookie {
  return {
    name: tokenCookieName(secure),
    value,
    options: { httpOnly: true, sameSite: "lax", path: "/", maxAge, secure },
  };
}

/**
 * Mints a fresh API token for the user and returns the cookie that carries it.
 *
 * @param userId - the Better Auth user id, which becomes `sub`
 * @param secret - `JWT_SECRET`
 * @param secure - true when the site is served over https
 * @param shard - the user's home shard (the `shard` claim); none for a user without one
 */
export async function issueTokenCookie(
  userId: string,
  secret: string,
  secure: boolean,
  shard?: ShardId,
): Promise<TokenCookie> {
  const { token } = await mintToken(userId, secret, undefined, shard);
  return tokenCookie(token, TOKEN_TTL_SECONDS, secure);
}

/** The cookie that deletes the token cookie (sign-out, dead session). */
export function clearedTokenCookie(secure: boolean): TokenCookie {
  return tokenCookie("", 0, secure);
}

/** The verification key, imported once per isolate (per secret). */
let verifyKey: { secret: string; key: Promise<CryptoKey> } | undefined;

/**
 * The last token verified, so the same cookie checked twice in one page view (before and
 * after the session read) costs one HMAC. Keyed by the whole token; only an accepted one.
 */
let lastVerified: { token: string; secret: string; claims: VerifiedClaims } | undefined;

async function verifiedClaims(token: string, secret: string, now: number): Promise<VerifiedClaims> {
  if (lastVerified?.token === token && lastVerified.secret === secret) {
    const { claims } = lastVerified;
    if (claims.validFrom <= now && now < claims.exp) return claims;
  }
  if (verifyKey?.secret !== secret) verifyKey = { secret, key: hmacKey(secret, "verify") };
  const claims = await verifyToken(token, [await verifyKey.key], now);
  lastVerified = { token, secret, claims };
  return claims;
}

/**
 * The token's claims, when it can serve its subject for at least
 * {@link REMINT_WITHIN_SECONDS} more; undefined for a missing token, one that
 * is not ours (the API's own rules: signature, alg, iss, aud, lifetime, shard), or
 * one about to expire.
 */
async function usableTokenClaims(
  token: string | undefined,
  secret: string,
  now: number,
): Promise<VerifiedClaims | undefined> {
  if (!token) return undefined;
  try {
    const claims = await verifiedClaims(token, secret, now);
    return claims.exp - now < REMINT_WITHIN_SECONDS ? undefined : claims;
  } catch {
    return undefined;
  }
}

/** Whose token this is, when it can serve them for a while yet (see usableTokenClaims). */
export async function usableTokenSubject(
  token: string | undefined,
  secret: string,
  now: number = Math.floor(Date.now() / 1000),
): Promise<string | undefined> {
  return (await usableTokenClaims(token, secret, now))?.sub;
}

/**
 * True when the token in the cookie cannot serve this user for at least
 * {@link REMINT_WITHIN_SECONDS} more: missing, not ours, for someone else, for
 * another shard than the user's home (they were moved), or about to expire.
 */
export async function needsFreshToken(
  token: string | undefined,
  userId: string,
  secret: string,
  now: number = Math.floor(Date.now() / 1000),
  shard?: ShardId,
): Promise<boolean> {
  const claims = await usableTokenClaims(token, secret, now);
  return claims?.sub !== userId || claims.shard !== shard;
}
