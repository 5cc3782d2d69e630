import { PASSWORD_MESSAGES } from "../auth/password-rule.ts";
import type { FormContext, FormResult } from "./form-post.server.ts";
import { formText, type PasswordFormFailure, submitPasswordForm } from "./password-form.server.ts";

/** What the sign-in and sign-up pages show again after a POST that did not succeed. */
type Values = { name: string; email: string };

export type AuthFormResult = FormResult<PasswordFormFailure<Values>>;

/** Better Auth error codes, in plain words. */
const MESSAGES: Record<string, string> = {
  INVALID_EMAIL_OR_PASSWORD: "Invalid email or password. Check both and try again.",
  USER_ALREADY_EXISTS:
    "That email is already taken: an account with it exists. Sign in instead, or use another email.",
  USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL:
    "That email is already taken: an account with it exists. Sign in instead, or use another email.",
  ...PASSWORD_MESSAGES,
  INVALID_EMAIL: "Enter a valid email address, like name@example.com.",
};

const values = (form: FormData): Values => ({
  name: formText(form, "name").trim(),
  email: formText(form, "email").trim(),
});

const explain = (code: string, error: { statusCode: number }) => ({
  status: code === "INVALID_EMAIL_OR_PASSWORD" ? 401 : error.statusCode,
  message: MESSAGES[code] ?? "That did not work. Please check the form and try again.",
});

const required = (value: string, message: string) => (value === "" ? message : undefined);

/** Handles the sign-in form: rate limit, then Better Auth; the token cookie comes with the session. */
export function signInWithForm(context: FormContext): Promise<AuthFormResult> {
  return submitPasswordForm(context, {
    attempt: "sign-in",
    values,
    validate: ({ email }, password) =>
      required(email, "Enter your email address.") ?? required(password, "Enter your password."),
    call: ({ email }, password) =>
      context.auth.api.signInEmail({
        body: { email, password },
        headers: context.request.headers,
        returnHeaders: true,
      }),
    redirectTo: "/todos",
    explain,
  });
}

/** Handles the sign-up form: rate limit, then Better Auth, which signs the new person in. */
export function signUpWithForm(context: FormContext): Promise<AuthFormResult> {
  return submitPasswordForm(context, {
    attempt: "sign-up",
    values,
    validate: ({ name, email }, password) =>
      required(name, "Enter your name.") ??
      required(email, "Enter your email address.") ??
      required(password, PASSWORD_MESSAGES.PASSWORD_EMPTY),
    call: ({ name, email }, password) =>
      context.auth.api.signUpEmail({
        body: { name, email, password },
        headers: context.request.headers,
        returnHeaders: true,
      }),
    redirectTo: "/todos",
    explain,
  });
}
