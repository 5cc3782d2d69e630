import { isAPIError } from "better-auth/api";
import {
  hitRateLimit,
  limitAuthAttempt,
  type RateLimitResult,
  rateLimitMessage,
  rateLimitRefusal,
} from "../auth/rate-limit.server.ts";
import { redirectWithCookies } from "../http/redirect.server.ts";
import type { FormContext, FormFailure, FormResult } from "./form-post.server.ts";
import { formText } from "./password-form.server.ts";

export const FORGOT_PASSWORD_MESSAGES = {
  empty: "Enter your email address.",
  invalid: "Enter a valid email address, like name@example.com.",
  notSetUp:
    "This site can't send email yet, so a password can't be reset by email right now. Please try again later.",
} as const;

/** Where every accepted request lands, whether the email has an account or not. */
export const RESET_LINK_SENT = "/forgot-password?sent";

export type ForgotPasswordFailure = FormFailure & { values: { email: string } };

/** The per-email bucket's key: a digest, so no address sits in the rate-limit table. */
async function emailKey(email: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(email));
  return `forgot-password-email:${Buffer.from(digest).toString("base64url")}`;
}

/**
 * Handles the Forgot password form. It answers the same for an email with an
 * account and one without (a 303 to {@link RESET_LINK_SENT}); only Better Auth
 * knows the difference, and it mails the link after the answer. Limited like
 * sign-in, per client address and per email address.
 */
export async function requestResetWithForm(
  context: FormContext,
  mailReady: boolean,
): Promise<FormResult<ForgotPasswordFailure>> {
  const form = await context.request.formData().catch(() => new FormData());
  const email = formText(form, "email").trim();
  const fail = (failure: FormFailure) => ({ failure: { ...failure, values: { email } } });
  const refuse = (limited: RateLimitResult) =>
    limited.allowed
      ? undefined
      : fail({
          ...rateLimitRefusal(limited.retryAfterSeconds),
          message: rateLimitMessage(limited.retryAfterSeconds),
        });

  const byAddress = await limitAuthAttempt(
    context.db,
    "forgot-password",
    context.request,
    context.limit,
  );
  const refusedByAddress = refuse(byAddress);
  if (refusedByAddress) return refusedByAddress;
  if (email === "") return fail({ status: 400, message: FORGOT_PASSWORD_MESSAGES.empty });
  const refusedByEmail = refuse(
    await hitRateLimit(context.db, await emailKey(email.toLowerCase()), context.limit),
  );
  if (refusedByEmail) return refusedByEmail;
  if (!mailReady) return fail({ status: 503, message: FORGOT_PASSWORD_MESSAGES.notSetUp });

  try {
    await context.auth.api.requestPasswordReset({
      body: { email },
      headers: context.request.headers,
    });
  } catch (error) {
    if (!isAPIError(error)) throw error;
    return fail({ status: 400, message: FORGOT_PASSWORD_MESSAGES.invalid });
  }
  return { redirect: redirectWithCookies(RESET_LINK_SENT, []) };
}
