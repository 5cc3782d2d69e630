import { decode, sign } from "hono/jwt";
import { hashShard, type ShardId, shardById } from "../shards.ts";
import {
  isUsableSecret,
  MAX_SUBJECT_LENGTH,
  TOKEN_ALGORITHM,
  TOKEN_AUDIENCE,
  TOKEN_ISSUER,
  TOKEN_TTL_SECONDS,
} from "./claims.ts";
import { hmacKey } from "./hmac-key.ts";

export * from "./claims.ts";

export type MintedToken = {
  token: string;
  /** Expiry as seconds since the epoch. */
  expiresAt: number;
};

/**
 * Mints the API token for one user: HS256, 30 minutes, `sub` = user id, and `shard` =
 * the user's home shard when one is given (else the API routes by a hash of `sub`).
 * The only place tokens are made; the site and `npm run token` both call it.
 *
 * @param userId - the authenticated user's id (becomes `sub`)
 * @param secret - `JWT_SECRET`, at least 32 bytes
 * @param now - seconds since the epoch (for tests)
 * @param shard - the user's home shard, a configured shard id
 */
export async function mintToken(
  userId: string,
  secret: string,
  now: number = Math.floor(Date.now() / 1000),
  shard?: ShardId,
): Promise<MintedToken> {
  if (!isUsableSecret(secret)) throw new Error("JWT_SECRET must be at least 32 bytes");
  if (userId.length === 0 || userId.length > MAX_SUBJECT_LENGTH) {
    throw new Error(`a user id must be 1 to ${MAX_SUBJECT_LENGTH} characters`);
  }
  const expiresAt = now + TOKEN_TTL_SECONDS;
  const token = await sign(
    {
      sub: userId,
      iss: TOKEN_ISSUER,
      aud: TOKEN_AUDIENCE,
      iat: now,
      exp: expiresAt,
      jti: crypto.randomUUID(),
      ...(shard === undefined ? {} : { shard }),
    },
    await hmacKey(secret, "sign"),
    TOKEN_ALGORITHM,
  );
  return { token, expiresAt };
}

/**
 * The shard a token's requests run on, as the API picks it: its `shard` claim, else the
 * hash of its `sub`. It reads the payload without checking the signature, so it is for
 * tokens the caller minted or verified itself (the site's bookmark cookie), never for trust.
 */
export function tokenShard(token: string): ShardId | undefined {
  let payload: Record<string, unknown>;
  try {
    payload = decode(token).payload;
  } catch {
    return undefined;
  }
  if ("shard" in payload) return shardById(payload.shard)?.id;
  return typeof payload.sub === "string" ? hashShard(payload.sub).id : undefined;
}
