import type { AuthContext } from "better-auth";
import { createMailer } from "../mail/create-mailer.server.ts";
import { MailError } from "../mail/mail.server.ts";
import type { MailConfig } from "../mail/mail-config.server.ts";
import { VERIFY_LINK_HOURS, verifyEmailEmail } from "../mail/verify-email-email.server.ts";
import type { Background } from "./send-reset-link.server.ts";

/**
 * Better Auth's verification tokens are signed JWTs that work until they expire, any
 * number of times. To make a link work once, the site keeps the one live link per
 * person in Better Auth's verification table, as a digest of the token, and
 * consumes that row before it lets Better Auth verify (decision 120).
 */
const identifier = (userId: string) => `verify-email-link:${userId}`;

async function digest(token: string): Promise<string> {
  const bytes = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token));
  return Buffer.from(bytes).toString("base64url");
}

/** The part of Better Auth's context these links use. */
type LinkContext = {
  internalAdapter: Pick<
    AuthContext["internalAdapter"],
    | "createVerificationValue"
    | "findVerificationValue"
    | "deleteVerificationByIdentifier"
    | "consumeVerificationValue"
    | "updateUser"
  >;
};

/** The Better Auth context, bound once the instance exists (it is built after its options). */
export type LateContext = { current?: Promise<LinkContext> };

/**
 * Better Auth's `emailVerification.sendVerificationEmail`: records the link as the
 * person's only live one (replacing an older one) and mails it after the answer.
 * A failure is logged by its kind only, never with the address or the link.
 */
export function sendVerificationLink(
  mail: MailConfig,
  db: D1Database,
  origin: string,
  background: Background,
  context: LateContext,
) {
  const mailer = createMailer(mail, db);
  return async ({ user, token }: { user: { id: string; email: string }; token: string }) => {
    if (!mailer || !context.current) return;
    const { internalAdapter } = await context.current;
    await internalAdapter.deleteVerificationByIdentifier(identifier(user.id));
    await internalAdapter.createVerificationValue({
      identifier: identifier(user.id),
      value: await digest(token),
      expiresAt: new Date(Date.now() + VERIFY_LINK_HOURS * 3600 * 1000),
    });
    const sending = mailer.send(verifyEmailEmail(origin, user.email, token)).catch((error) => {
      console.error(
        JSON.stringify({
          event: "mail-failed",
          error: error instanceof Error ? error.name : "unknown",
          ...(error instanceof MailError ? { message: error.message } : {}),
        }),
      );
    });
    background(sending);
  };
}

/** The user id a verification token names, read without trusting it (Better Auth checks the signature). */
function claimedUserId(token: string): string | undefined {
  try {
    const payload = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString());
    return typeof payload?.userId === "string" ? payload.userId : undefined;
  } catch {
    return undefined;
  }
}

/** True when `token` is the person's live link and has not run out (nothing is used up). */
export async function isLiveVerificationLink(context: LinkContext, token: string) {
  const userId = claimedUserId(token);
  if (!userId) return false;
  const row = await context.internalAdapter.findVerificationValue(identifier(userId));
  return (
    row !== null && new Date(row.expiresAt) > new Date() && row.value === (await digest(token))
  );
}

/**
 * Uses up the person's live link when `token` is it. True only for the one caller
 * that consumed it; a second use, an older link, a forged or expired one get false.
 */
export async function consumeVerificationLink(context: LinkContext, token: string) {
  if (!(await isLiveVerificationLink(context, token))) return false;
  const userId = claimedUserId(token) as string;
  const row = await context.internalAdapter.consumeVerificationValue(identifier(userId));
  return row !== null && row.value === (await digest(token));
}

/** Ends the person's live link (the address was proven another way). */
export async function endVerificationLink(context: LinkContext, userId: string) {
  await context.internalAdapter.deleteVerificationByIdentifier(identifier(userId));
}

/**
 * Better Auth's `emailAndPassword.onPasswordReset`: a reset link reached the person at
 * this address and they used it, which proves the address as a verification link
 * would, so the address counts as verified from now on (decision 121).
 */
export function markVerifiedAfterReset(context: LateContext) {
  return async ({ user }: { user: { id: string; emailVerified: boolean } }) => {
    if (user.emailVerified || !context.current) return;
    const resolved = await context.current;
    await resolved.internalAdapter.updateUser(user.id, { emailVerified: true });
    await endVerificationLink(resolved, user.id);
  };
}
