import { ApiError } from "../errors.ts";
import { isUsableSecret } from "./claims.ts";
import { TokenVerifier } from "./token-verifier.ts";

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

/** The verifier for the secrets an isolate last saw: bindings only change with a new deploy. */
let cached: { current: string; previous: string | undefined; verifier: TokenVerifier } | undefined;

/**
 * The verifier for {@link verificationSecrets}, built once per pair of secrets: its
 * HMAC keys are imported once, and its verified tokens go when the secrets change.
 */
export function tokenVerifier(env: SecretBindings): TokenVerifier {
  if (
    cached !== undefined &&
    cached.current === env.JWT_SECRET &&
    cached.previous === env.JWT_SECRET_PREVIOUS
  ) {
    return cached.verifier;
  }
  const verifier = new TokenVerifier(verificationSecrets(env));
  cached = { current: env.JWT_SECRET, previous: env.JWT_SECRET_PREVIOUS, verifier };
  return verifier;
}
