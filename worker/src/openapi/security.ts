import {
  CLOCK_SKEW_SECONDS,
  MAX_SUBJECT_LENGTH,
  MIN_SECRET_BYTES,
  TOKEN_ALGORITHM,
  TOKEN_AUDIENCE,
  TOKEN_ISSUER,
  TOKEN_TTL_SECONDS,
} from "../auth/claims.ts";
import { SHARDS } from "../shards.ts";

/** The bearer scheme every `/api` operation requires, with the token rules the API enforces. */
export const bearerScheme = {
  type: "http",
  scheme: "bearer",
  bearerFormat: "JWT",
  description: [
    "A JWT minted by the site, sent only as `Authorization: Bearer <jwt>` (scheme case-insensitive; never a cookie or query parameter).\n",
    `- Header \`alg\` must be \`${TOKEN_ALGORITHM}\`; \`none\`, other HMAC sizes and asymmetric algorithms are refused.`,
    `- Signed with the API's \`JWT_SECRET\` (at least ${MIN_SECRET_BYTES} bytes); during a rotation \`JWT_SECRET_PREVIOUS\` also verifies.`,
    `- Claims: \`sub\` (the user id, 1–${MAX_SUBJECT_LENGTH} characters), \`iss\` = \`${TOKEN_ISSUER}\`, \`aud\` = \`${TOKEN_AUDIENCE}\` (or an array holding it), numeric \`iat\` and \`exp\`.`,
    `- \`exp\` in the future, \`exp - iat\` at most ${TOKEN_TTL_SECONDS} s, \`iat\` at most ${CLOCK_SKEW_SECONDS} s ahead, \`nbf\` honoured when present.`,
    `- Optional \`shard\`: a configured shard id (${SHARDS.map((shard) => `\`${shard.id}\``).join(", ")}); the request runs on that shard's database. Without it, on a stable hash of \`sub\`; any other value is refused.`,
    "Any failure is a 401 `unauthorized` with a `WWW-Authenticate` challenge.",
  ].join("\n"),
} as const;
