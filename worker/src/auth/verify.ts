import { verify } from "hono/jwt";
import type { JWTPayload } from "hono/utils/jwt/types";
import { type ShardId, shardById } from "../shards.ts";
import {
  CLOCK_SKEW_SECONDS,
  MAX_SUBJECT_LENGTH,
  TOKEN_ALGORITHM,
  TOKEN_AUDIENCE,
  TOKEN_ISSUER,
  TOKEN_TTL_SECONDS,
} from "./claims.ts";
import { hmacKey } from "./hmac-key.ts";

export { hmacKey };

/** Any reason a token is refused. The reason stays server-side: clients get one answer. */
export class InvalidTokenError extends Error {
  override name = "InvalidTokenError";
}

/**
 * What a verified token tells: whose it is (`sub`), until when it is accepted (`exp`,
 * seconds) and from when (`validFrom`: its `nbf`, and `iat` less the clock skew), and
 * the shard its todos live on when it names one (`shard`, a configured shard id).
 */
export type VerifiedClaims = { sub: string; exp: number; validFrom: number; shard?: ShardId };

const isNumericDate = (value: unknown): value is number =>
  typeof value === "number" && Number.isFinite(value);

/**
 * `hono/jwt` checks the signature, `alg` (exactly HS256), `exp`, `nbf`, `iss` and `aud`
 * when present; these are the rules it leaves to us: required claims, their types,
 * the 30-minute lifetime cap, `iat` with a minute of clock skew, and `shard`.
 */
function checkClaims(payload: JWTPayload, now: number): VerifiedClaims {
  const { sub, iat, exp, nbf } = payload;
  // Present means a configured shard id: unknown, empty or not a string is refused.
  const shard = "shard" in payload ? shardById(payload.shard)?.id : undefined;
  if ("shard" in payload && shard === undefined) throw new InvalidTokenError("unknown shard");
  if (typeof sub !== "string" || sub.length === 0 || sub.length > MAX_SUBJECT_LENGTH) {
    throw new InvalidTokenError("sub must be a string of 1 to 255 characters");
  }
  if (!isNumericDate(iat) || !isNumericDate(exp)) {
    throw new InvalidTokenError("iat and exp must be numeric dates");
  }
  if (exp - iat > TOKEN_TTL_SECONDS) throw new InvalidTokenError("lifetime over 30 minutes");
  if (iat > now + CLOCK_SKEW_SECONDS) throw new InvalidTokenError("issued in the future");
  const validFrom = Math.max(iat - CLOCK_SKEW_SECONDS, isNumericDate(nbf) ? nbf : -Infinity);
  return shard === undefined ? { sub, exp, validFrom } : { sub, exp, validFrom, shard };
}

async function verifyWith(token: string, key: string | CryptoKey): Promise<JWTPayload> {
  return verify(token, typeof key === "string" ? await hmacKey(key, "verify") : key, {
    alg: TOKEN_ALGORITHM,
    iss: TOKEN_ISSUER,
    aud: TOKEN_AUDIENCE,
    // hono allows no skew for iat; checkClaims enforces it with CLOCK_SKEW_SECONDS.
    iat: false,
  });
}

/**
 * Verifies an API token against the current key, then the previous one
 * (during a rotation), and returns its subject (the caller's user id) and expiry.
 * The API checks every request with it; the site checks its own cookie with it.
 *
 * @param keys - usable verification secrets, or their keys from `hmacKey`, current first
 * @throws InvalidTokenError for any problem with the token
 */
export async function verifyToken(
  token: string,
  keys: readonly (string | CryptoKey)[],
  now: number = Math.floor(Date.now() / 1000),
): Promise<VerifiedClaims> {
  for (const key of keys) {
    let payload: JWTPayload;
    try {
      payload = await verifyWith(token, key);
    } catch {
      continue;
    }
    return checkClaims(payload, now);
  }
  throw new InvalidTokenError("no key verifies this token");
}
