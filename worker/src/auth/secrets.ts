import { ApiError } from "../errors.ts";
import { isUsableSecret } from "./claims.ts";
import { hmacKey } from "./hmac-key.ts";

type SecretBindings = Pick<Env, "JWT_SECRET" | "JWT_SECRET_PREVIOUS">;

/** True when the API can verify tokens at all: `JWT_SECRET` is set and at least 32 bytes. */
export const isConfigured = (env: SecretBindings): boolean => isUsableSecret(env.JWT_SECRET);

/**
 * The secrets tokens are verified with: `JWT_SECRET`, then `JWT_SECRET_PREVIOUS`
 * when a rotation is under way. Fails closed when `JWT_SECRET` is missing or short.
 */
function verificationSecrets(env: SecretBindings): string[] {
  if (!isUsableSecret(env.JWT_SECRET)) {
    throw new ApiError("misconfigured", "The API is not configured to accept requests");
  }
  return isUsableSecret(env.JWT_SECRET_PREVIOUS)
    ? [env.JWT_SECRET, env.JWT_SECRET_PREVIOUS]
    : [env.JWT_SECRET];
}

/** The keys for the secrets an isolate last saw: bindings only change with a new deploy. */
let cached:
  | { current: string; previous: string | undefined; keys: Promise<CryptoKey[]> }
  | undefined;

/**
 * {@link verificationSecrets} as HMAC-SHA-256 keys, imported once per pair of
 * secrets rather than on every request.
 */
export function verificationKeys(env: SecretBindings): Promise<CryptoKey[]> {
  if (cached?.current === env.JWT_SECRET && cached.previous === env.JWT_SECRET_PREVIOUS) {
    return cached.keys;
  }
  const secrets = verificationSecrets(env);
  const keys = Promise.all(secrets.map((secret) => hmacKey(secret, "verify")));
  cached = { current: env.JWT_SECRET, previous: env.JWT_SECRET_PREVIOUS, keys };
  return keys;
}
