import { verify } from "hono/jwt";
import type { JWTPayload } from "hono/utils/jwt/types";
import {
  CLOCK_SKEW_SECONDS,
  MAX_SUBJECT_LENGTH,
  TOKEN_ALGORITHM,
  TOKEN_AUDIENCE,
  TOKEN_ISSUER,
  TOKEN_TTL_SECONDS,
} from "./claims.ts";

/** Any reason a token is refused. The reason stays server-side: clients get one answer. */
export class InvalidTokenError extends Error {
  override name = "InvalidTokenError";
}

const isNumericDate = (value: unknown): value is number =>
  typeof value === "number" && Number.isFinite(value);

/**
 * `hono/jwt` checks the signature, `alg` (exactly HS256), `exp`, `nbf`, `iss` and `aud`
 * when present; these are the rules it leaves to us: required claims, their types,
 * the 30-minute lifetime cap and `iat` with a minute of clock skew.
 */
function checkClaims(payload: JWTPayload, now: number): string {
  const { sub, iat, exp } = payload;
  if (typeof sub !== "string" || sub.length === 0 || sub.length > MAX_SUBJECT_LENGTH) {
    throw new InvalidTokenError("sub must be a string of 1 to 255 characters");
  }
  if (!isNumericDate(iat) || !isNumericDate(exp)) {
    throw new InvalidTokenError("iat and exp must be numeric dates");
  }
  if (exp - iat > TOKEN_TTL_SECONDS) throw new InvalidTokenError("lifetime over 30 minutes");
  if (iat > now + CLOCK_SKEW_SECONDS) throw new InvalidTokenError("issued in the future");
  return sub;
}

async function verifyWith(token: string, secret: string): Promise<JWTPayload> {
  return verify(token, secret, {
    alg: TOKEN_ALGORITHM,
    iss: TOKEN_ISSUER,
    aud: TOKEN_AUDIENCE,
    // hono allows no skew for iat; checkClaims enforces it with CLOCK_SKEW_SECONDS.
    iat: false,
  });
}

/**
 * Verifies an API token against the current secret, then the previous one
 * (during a rotation), and returns its subject: the caller's user id.
 *
 * @param secrets - usable verification secrets, current first
 * @throws InvalidTokenError for any problem with the token
 */
export async function verifyToken(
  token: string,
  secrets: readonly string[],
  now: number = Math.floor(Date.now() / 1000),
): Promise<string> {
  for (const secret of secrets) {
    let payload: JWTPayload;
    try {
      payload = await verifyWith(token, secret);
    } catch {
      continue;
    }
    return checkClaims(payload, now);
  }
  throw new InvalidTokenError("no secret verifies this token");
}
