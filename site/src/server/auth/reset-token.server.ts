import type { Auth } from "./better-auth.server.ts";

/**
 * True while a password-reset token can still be used: Better Auth keeps it
 * as a verification row `reset-password:<token>` until it is used or expires.
 */
export async function isUsableResetToken(auth: Auth, token: string): Promise<boolean> {
  if (token === "") return false;
  const { internalAdapter } = await auth.$context;
  const row = await internalAdapter.findVerificationValue(`reset-password:${token}`);
  return row !== null && row !== undefined && new Date(row.expiresAt) > new Date();
}
