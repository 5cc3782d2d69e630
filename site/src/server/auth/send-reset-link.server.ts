import { createMailer } from "../mail/create-mailer.server.ts";
import { MailError } from "../mail/mail.server.ts";
import type { MailConfig } from "../mail/mail-config.server.ts";
import { resetPasswordEmail } from "../mail/reset-password-email.server.ts";
import { currentRequest } from "../request-context.server.ts";

/** Runs work after the answer is sent (the Worker's `waitUntil`). */
export type Background = (work: Promise<unknown>) => void;

/**
 * Better Auth's `emailAndPassword.sendResetPassword`: mails the link to
 * `/reset-password?token=…`. Better Auth calls it only for an email that has an
 * account; sending after the answer (`background`) keeps that answer as quick
 * for a known email as for an unknown one. A failure is logged by its kind
 * only, never with the address, the body or the link.
 */
export function sendResetLink(
  mail: MailConfig,
  db: D1Database,
  origin: string,
  background: Background,
) {
  const mailer = createMailer(mail, db);
  return async ({ user, token }: { user: { email: string }; token: string }) => {
    if (!mailer) return;
    const sending = mailer.send(resetPasswordEmail(origin, user.email, token)).catch((error) => {
      const trace = currentRequest()?.trace;
      console.error(
        JSON.stringify({
          event: "mail-failed",
          requestId: trace?.requestId,
          traceId: trace?.traceId,
          error: error instanceof Error ? error.name : "unknown",
          ...(error instanceof MailError ? { message: error.message } : {}),
        }),
      );
    });
    background(sending);
  };
}
