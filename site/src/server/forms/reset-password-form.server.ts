import { isAPIError } from "better-auth/api";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "../auth/password-length.ts";
import { redirectWithCookies } from "../http/redirect.server.ts";
import type { FormContext, FormFailure, FormResult } from "./form-post.server.ts";
import { formText } from "./password-form.server.ts";

export const RESET_PASSWORD_MESSAGES = {
  empty: `Choose a new password of at least ${PASSWORD_MIN_LENGTH} characters.`,
  tooShort: `Password too short: use at least ${PASSWORD_MIN_LENGTH} characters.`,
  tooLong: `Password too long: use at most ${PASSWORD_MAX_LENGTH} characters.`,
  failed: "That did not work, and your password was not changed. Please try again.",
} as const;

/** Where a reset lands: sign-in, saying the new password is set. */
export const PASSWORD_RESET = "/sign-in?password-reset";

/** A failed reset: the form again with a message, or (`badLink`) the plain page for a dead link. */
export type ResetPasswordFailure = FormFailure & { badLink: boolean };

/**
 * Handles the Set new password form. Better Auth checks the token (single
 * use, 30 minutes), stores the new password and deletes every session of
 * the person.
 */
export async function resetPasswordWithForm(
  context: FormContext,
): Promise<FormResult<ResetPasswordFailure>> {
  const form = await context.request.formData().catch(() => new FormData());
  const token = formText(form, "token");
  const newPassword = formText(form, "new-password");
  const fail = (status: number, message: string, badLink = false) => ({
    failure: { status, message, badLink },
  });
  if (token === "") return fail(400, "", true);
  if (newPassword === "") return fail(400, RESET_PASSWORD_MESSAGES.empty);
  try {
    await context.auth.api.resetPassword({ body: { token, newPassword } });
  } catch (error) {
    if (!isAPIError(error)) throw error;
    const code = (error.body as { code?: string } | undefined)?.code ?? "";
    if (code === "PASSWORD_TOO_SHORT") return fail(400, RESET_PASSWORD_MESSAGES.tooShort);
    if (code === "PASSWORD_TOO_LONG") return fail(400, RESET_PASSWORD_MESSAGES.tooLong);
    if (code === "INVALID_TOKEN" || code === "USER_NOT_FOUND") return fail(400, "", true);
    return fail(400, RESET_PASSWORD_MESSAGES.failed);
  }
  return { redirect: redirectWithCookies(PASSWORD_RESET, []) };
}
