import { isAPIError } from "better-auth/api";
import { PASSWORD_MESSAGES, type PasswordProblem } from "../auth/password-rule.ts";
import { limitAuthAttempt, rateLimitMessage, rateLimitRefusal } from "../auth/rate-limit.server.ts";
import { redirectWithCookies } from "../http/redirect.server.ts";
import type { FormContext, FormFailure, FormResult } from "./form-post.server.ts";
import { formText } from "./password-form.server.ts";

export const RESET_PASSWORD_MESSAGES = {
  empty: PASSWORD_MESSAGES.PASSWORD_EMPTY.replace("a password", "a new password"),
  failed: "That did not work, and your password was not changed. Please try again.",
} as const;

/** Where a reset lands: sign-in, saying the new password is set. */
export const PASSWORD_RESET = "/sign-in?password-reset";

/** A failed reset: the form again with a message, or (`badLink`) the plain page for a dead link. */
export type ResetPasswordFailure = FormFailure & { badLink: boolean };

/**
 * Handles the Set new password form; the token comes from the reset cookie
 * (reset-cookie.server.ts), never from the form. Each submission counts
 * against the client address's limit (an IPv6 client by its /64), like
 * forgot-password. Better Auth checks the token (single use, 30 minutes), the
 * rule checks the new password, and Better Auth stores it and deletes every
 * session of the person.
 */
export async function resetPasswordWithForm(
  context: FormContext,
  token: string,
): Promise<FormResult<ResetPasswordFailure>> {
  const form = await context.request.formData().catch(() => new FormData());
  const newPassword = formText(form, "new-password");
  const fail = (status: number, message: string, badLink = false) => ({
    failure: { status, message, badLink },
  });
  const limited = await limitAuthAttempt(
    context.db,
    "reset-password",
    context.request,
    context.limit,
  );
  if (!limited.allowed) {
    const wait = limited.retryAfterSeconds;
    return {
      failure: { ...rateLimitRefusal(wait), message: rateLimitMessage(wait), badLink: false },
    };
  }
  if (token === "") return fail(400, "", true);
  if (newPassword === "") return fail(400, RESET_PASSWORD_MESSAGES.empty);
  try {
    await context.auth.api.resetPassword({ body: { token, newPassword } });
  } catch (error) {
    if (!isAPIError(error)) throw error;
    const code = (error.body as { code?: string } | undefined)?.code ?? "";
    if (code in PASSWORD_MESSAGES) return fail(400, PASSWORD_MESSAGES[code as PasswordProblem]);
    if (code === "INVALID_TOKEN" || code === "USER_NOT_FOUND") return fail(400, "", true);
    return fail(400, RESET_PASSWORD_MESSAGES.failed);
  }
  return { redirect: redirectWithCookies(PASSWORD_RESET, []) };
}
