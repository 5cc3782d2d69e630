import type { Auth } from "./better-auth.server.ts";
import { isLinkToken } from "./verification-links.server.ts";

/**
 * True while a password-reset token can still be used: Better Auth keeps it
 * as a verification row for `reset-password:<token>` (stored hashed,
 * verification-links.server.ts) until it is used or expires.
 */
export async function isUsableResetToken(auth: Auth, token: string): Promise<boolean> {
  if (!isLinkToken(token)) return false;
  const { internalAdapter } = await auth.$context;
  const row = await internalAdapter.findVerificationValue(`reset-password:${token}`);
  return row !== null && row !== undefined && new Date(row.expiresAt) > new Date();
}
