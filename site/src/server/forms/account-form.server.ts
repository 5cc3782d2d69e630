import { TODOS_UNAVAILABLE } from "../auth/delete-todos-hook.server.ts";
import type { FormContext, FormResult } from "./form-post.server.ts";
import { type PasswordFormFailure, submitPasswordForm } from "./password-form.server.ts";

export const ACCOUNT_MESSAGES = {
  emptyPassword: "Enter your password to delete your account.",
  wrongPassword: "That password is not right. Your account was not deleted.",
  unavailable:
    "Can't reach the todo service: it is unavailable right now. Nothing was deleted: your account and todos are still here. Please try again in a moment.",
  failed: "That did not work, and nothing was deleted. Please try again.",
} as const;

/** The form either redirects to `/sign-up` with the cookies cleared, or fails with a message. */
export type AccountFormResult = FormResult<PasswordFormFailure<Record<string, never>>>;

/**
 * Handles the Delete account form. Every submission counts as a sign-in
 * attempt from this IP (it takes a password guess). Better Auth checks the
 * password, `beforeDelete` deletes the todos, then Better Auth deletes the
 * user, their sessions and accounts, and expires its cookies; the hook in
 * better-auth.server.ts clears the token cookie.
 */
export function deleteAccountWithForm(context: FormContext): Promise<AccountFormResult> {
  return submitPasswordForm(context, {
    attempt: "sign-in",
    values: () => ({}),
    validate: (_, password) => (password === "" ? ACCOUNT_MESSAGES.emptyPassword : undefined),
    call: (_, password) =>
      context.auth.api.deleteUser({
        body: { password },
        headers: context.request.headers,
        returnHeaders: true,
      }),
    redirectTo: "/sign-up",
    explain: (code, error) => {
      if (code === TODOS_UNAVAILABLE) return { status: 502, message: ACCOUNT_MESSAGES.unavailable };
      if (code === "INVALID_PASSWORD" || code === "PASSWORD_TOO_LONG") {
        return { status: 400, message: ACCOUNT_MESSAGES.wrongPassword };
      }
      return { status: error.statusCode >= 500 ? 500 : 400, message: ACCOUNT_MESSAGES.failed };
    },
  });
}
