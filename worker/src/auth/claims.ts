/** The token contract shared by the site (which mints) and the API (which verifies). */
export const TOKEN_ISSUER = "todo-site";
export const TOKEN_AUDIENCE = "todo-api";
export const TOKEN_ALGORITHM = "HS256";
/** Longest lifetime a token may claim (`exp - iat`), in seconds. */
export const TOKEN_TTL_SECONDS = 30 * 60;
/** Tolerated clock skew for `iat`, in seconds. */
export const CLOCK_SKEW_SECONDS = 60;
/** HS256 keys shorter than this are refused: the API fails closed. */
export const MIN_SECRET_BYTES = 32;
export const MAX_SUBJECT_LENGTH = 255;

const encoder = new TextEncoder();

/** A secret is usable when it is a string of at least {@link MIN_SECRET_BYTES} UTF-8 bytes. */
export function isUsableSecret(secret: unknown): secret is string {
  return typeof secret === "string" && encoder.encode(secret).byteLength >= MIN_SECRET_BYTES;
}
