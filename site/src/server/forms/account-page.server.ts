import { deleteAccountWithForm } from "./account-form.server.ts";
import { changePasswordWithForm, PASSWORD_CHANGED } from "./change-password-form.server.ts";
import type { FormContext, FormResult } from "./form-post.server.ts";
import { formText, type PasswordFormFailure } from "./password-form.server.ts";
import { signOutEverywhere } from "./sign-out-everywhere.server.ts";

/** The password forms of `/account`, by their `intent`. */
export type AccountForm = "change-password" | "delete";

export type AccountPageFailure = PasswordFormFailure<Record<string, never>> & { form: AccountForm };

/**
 * Handles a POST to `/account` by its `intent`: `change-password`,
 * `sign-out-everywhere`, or (`delete`, the default) Delete account.
 * A failure says which form it belongs to.
 */
export async function handleAccountForm(
  context: FormContext,
): Promise<FormResult<AccountPageFailure>> {
  const form = await context.request
    .clone()
    .formData()
    .catch(() => new FormData());
  const intent = formText(form, "intent");
  if (intent === "sign-out-everywhere") {
    return { redirect: await signOutEverywhere(context.auth, context.request) };
  }
  const which: AccountForm = intent === "change-password" ? "change-password" : "delete";
  const result =
    which === "change-password"
      ? await changePasswordWithForm(context)
      : await deleteAccountWithForm(context);
  return "redirect" in result ? result : { failure: { ...result.failure, form: which } };
}

/** True when the answer keeps this browser signed in (a changed password); else its cookies go. */
export const keepsSession = (response: Response): boolean =>
  response.headers.get("location") === PASSWORD_CHANGED;
