import { PASSWORD_MESSAGES, type PasswordProblem } from "../auth/password-rule.ts";
import type { FormContext, FormResult } from "./form-post.server.ts";
import { formText, type PasswordFormFailure, submitPasswordForm } from "./password-form.server.ts";

export const CHANGE_PASSWORD_MESSAGES = {
  emptyCurrent: "Enter your current password.",
  emptyNew: PASSWORD_MESSAGES.PASSWORD_EMPTY.replace("a password", "a new password"),
  wrongCurrent: "That current password is not right. Your password was not changed.",
  failed: "That did not work, and your password was not changed. Please try again.",
} as const;

/** Where a changed password lands: the account page, saying so. */
export const PASSWORD_CHANGED = "/account?password-changed";

type Passwords = { currentPassword: string; newPassword: string };

/**
 * Handles the Change password form. Every submission counts as a sign-in
 * attempt from this IP (it takes a password guess). Better Auth checks the
 * current password, stores the new one and revokes every other session of
 * the person; this browser gets a new session, and the hook in
 * better-auth.server.ts mints its API token anew.
 */
export function changePasswordWithForm(
  context: FormContext,
): Promise<FormResult<PasswordFormFailure<Record<string, never>>>> {
  return submitPasswordForm<Record<string, never>, Passwords>(context, {
    attempt: "sign-in",
    values: () => ({}),
    secrets: (form) => ({
      currentPassword: formText(form, "current-password"),
      newPassword: formText(form, "new-password"),
    }),
    validate: (_, { currentPassword, newPassword }) => {
      if (currentPassword === "") return CHANGE_PASSWORD_MESSAGES.emptyCurrent;
      if (newPassword === "") return CHANGE_PASSWORD_MESSAGES.emptyNew;
      return undefined;
    },
    call: (_, passwords) =>
      context.auth.api.changePassword({
        body: { ...passwords, revokeOtherSessions: true },
        headers: context.request.headers,
        returnHeaders: true,
      }),
    redirectTo: PASSWORD_CHANGED,
    explain: (code) => {
      if (code === "INVALID_PASSWORD") {
        return { status: 400, message: CHANGE_PASSWORD_MESSAGES.wrongCurrent };
      }
      if (code in PASSWORD_MESSAGES) {
        const words = PASSWORD_MESSAGES[code as PasswordProblem].replace(
          /^Password/,
          "New password",
        );
        const message = `${words} Your password was not changed.`;
        return { status: 400, message };
      }
      return { status: 400, message: CHANGE_PASSWORD_MESSAGES.failed };
    },
  });
}
