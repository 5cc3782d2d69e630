import { isAPIError } from "better-auth/api";
import { accountKey } from "../auth/account-key.server.ts";
import {
  hitRateLimit,
  limitAuthAttempt,
  type RateLimit,
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

/**
 * Reset emails per address, whatever the client address: at most 3 an hour.
 * Past it the form answers as always and sends nothing, so the answer tells
 * nothing either way.
 */
export const RESET_EMAILS: RateLimit = { max: 3, windowSeconds: 60 * 60 };

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
  // The account key: an HMAC, so no address sits in the rate-limit table.
  const account = await accountKey(context.secret, email);
  const refusedByEmail = refuse(
    await hitRateLimit(context.db, `forgot-password-email:${account}`, context.limit),
  );
  if (refusedByEmail) return refusedByEmail;
  if (!mailReady) return fail({ status: 503, message: FORGOT_PASSWORD_MESSAGES.notSetUp });
  const mailed = await hitRateLimit(context.db, `reset-email:${account}`, RESET_EMAILS);
  if (!mailed.allowed) return { redirect: redirectWithCookies(RESET_LINK_SENT, []) };

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
