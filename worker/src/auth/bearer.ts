import type { MiddlewareHandler } from "hono";
import { requestShard } from "../db/shard-database.ts";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../errors.ts";
import { tokenVerifier } from "./secrets.ts";
import type { VerifiedClaims } from "./verify.ts";

const REALM = 'Bearer realm="todo-api"';
const BEARER = /^Bearer +(\S+) *$/i;

/** 401 with RFC 6750's challenge; the body is the same whatever the reason. */
const unauthorized = (tokenPresented: boolean) =>
  new ApiError("unauthorized", "A valid bearer token is required", {
    headers: {
      "WWW-Authenticate": tokenPresented ? `${REALM}, error="invalid_token"` : REALM,
    },
  });

/** The token from `Authorization: Bearer <jwt>`: the only place a token is read from. */
function bearerToken(header: string | undefined): string | undefined {
  return header === undefined ? undefined : BEARER.exec(header)?.[1];
}

/**
 * Requires a valid API token and sets `userId` from its `sub`, and `shard` from its
 * `shard` claim (else from a hash of `sub`).
 * Fails closed with 500 `misconfigured` when the secret is missing or short.
 */
export function bearerAuth(): MiddlewareHandler<AppEnv> {
  return async function bearerAuth(c, next) {
    const verifier = tokenVerifier(c.env);
    const token = bearerToken(c.req.header("Authorization"));
    if (token === undefined) throw unauthorized(false);
    let claims: VerifiedClaims;
    try {
      claims = await verifier.claims(token);
    } catch {
      throw unauthorized(true);
    }
    c.set("userId", claims.sub);
    c.set("shard", requestShard(claims));
    await next();
  };
}
