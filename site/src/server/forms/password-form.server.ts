import { type APIError, isAPIError } from "better-auth/api";
import { accountLockedMessage } from "../auth/account-failures.server.ts";
import {
  type AuthAttempt,
  limitAuthAttempt,
  rateLimitMessage,
  rateLimitRefusal,
} from "../auth/rate-limit.server.ts";
import { redirectWithCookies } from "../http/redirect.server.ts";
import type { FormContext, FormFailure, FormResult } from "./form-post.server.ts";

/**
 * One form that takes a password (sign-in, sign-up, account deletion, change
 * password). `S` is what it takes secretly: by default the `password` field.
 */
export type PasswordForm<V, S = string> = {
  /** Which rate-limit bucket a submission counts against. */
  attempt: AuthAttempt;
  /** The fields shown again after a failure (never the password). */
  values: (form: FormData) => V;
  /** The secret fields, never shown again; without it, the `password` field. */
  secrets?: (form: FormData) => S;
  /** A message when the input is incomplete, before Better Auth is asked. */
  validate: (values: V, secrets: S) => string | undefined;
  /** The Better Auth call; its `Set-Cookie` headers go on the redirect. */
  call: (values: V, secrets: S) => Promise<{ headers: Headers }>;
  /** Where a success goes. */
  redirectTo: string;
  /** A Better Auth refusal (by its `code`) in plain words. */
  explain: (code: string, error: APIError) => { status: number; message: string };
};

export type PasswordFormFailure<V> = FormFailure & { values: V };

/** A form field as text (a missing field or a file is empty). */
export const formText = (form: FormData, field: string): string => {
  const value = form.get(field);
  return typeof value === "string" ? value : "";
};

/**
 * Every submission counts against the per-IP limit first (it may be a password
 * guess); then the input is checked, then Better Auth is asked.
 */
export async function submitPasswordForm<V, S = string>(
  context: FormContext,
  spec: PasswordForm<V, S>,
): Promise<FormResult<PasswordFormFailure<V>>> {
  const form = await context.request.formData().catch(() => new FormData());
  const values = spec.values(form);
  const fail = (failure: FormFailure) => ({ failure: { ...failure, values } });

  const limited = await limitAuthAttempt(context.db, spec.attempt, context.request, context.limit);
  if (!limited.allowed) {
    const wait = limited.retryAfterSeconds;
    return fail({ ...rateLimitRefusal(wait), message: rateLimitMessage(wait) });
  }
  const secrets = spec.secrets ? spec.secrets(form) : (formText(form, "password") as S);
  const invalid = spec.validate(values, secrets);
  if (invalid) return fail({ status: 400, message: invalid });
  try {
    const { headers } = await spec.call(values, secrets);
    return { redirect: redirectWithCookies(spec.redirectTo, headers.getSetCookie()) };
  } catch (error) {
    if (!isAPIError(error)) throw error;
    const code = (error.body as { code?: string } | undefined)?.code ?? "";
    if (error.statusCode === 429) {
      // The account's password attempts are paused (password-rules-hook.server.ts).
      const wait = Number(new Headers(error.headers).get("retry-after")) || 1;
      return fail({ ...rateLimitRefusal(wait), message: accountLockedMessage(wait) });
    }
    return fail(spec.explain(code, error));
  }
}
