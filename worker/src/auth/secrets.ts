import { ApiError } from "../errors.ts";
import { isUsableSecret } from "./claims.ts";

type SecretBindings = Pick<Env, "JWT_SECRET" | "JWT_SECRET_PREVIOUS">;

/** True when the API can verify tokens at all: `JWT_SECRET` is set and at least 32 bytes. */
export const isConfigured = (env: SecretBindings): boolean => isUsableSecret(env.JWT_SECRET);

/**
 * The secrets tokens are verified with: `JWT_SECRET`, then `JWT_SECRET_PREVIOUS`
 * when a rotation is under way. Fails closed when `JWT_SECRET` is missing or short.
 */
export function verificationSecrets(env: SecretBindings): string[] {
  if (!isUsableSecret(env.JWT_SECRET)) {
    throw new ApiError("misconfigured", "The API is not configured to accept requests");
  }
  return isUsableSecret(env.JWT_SECRET_PREVIOUS)
    ? [env.JWT_SECRET, env.JWT_SECRET_PREVIOUS]
    : [env.JWT_SECRET];
}
