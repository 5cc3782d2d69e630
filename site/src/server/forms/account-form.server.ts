import { isAPIError } from "better-auth/api";
import type { Auth } from "../auth/better-auth.server.ts";
import { TODOS_UNAVAILABLE } from "../auth/delete-todos-hook.server.ts";
import { limitAuthAttempt, type RateLimit, rateLimitMessage } from "../auth/rate-limit.server.ts";

export const ACCOUNT_MESSAGES = {
  emptyPassword: "Enter your password to delete your account.",
  wrongPassword: "That password is not right. Your account was not deleted.",
  unavailable:
    "Can't reach the todo service: it is unavailable right now. Nothing was deleted: your account and todos are still here. Please try again in a moment.",
  failed: "That did not work, and nothing was deleted. Please try again.",
} as const;

export type AccountFormFailure = {
  status: number;
  message: string;
  headers?: Record<string, string>;
};

/** The form either redirects to `/sign-up` with the cookies cleared, or fails with a message. */
export type AccountFormResult = { redirect: Response } | { failure: AccountFormFailure };

type Context = { auth: Auth; db: D1Database; request: Request; limit: RateLimit };

/**
 * Handles the Delete account form. Every submission counts as a sign-in
 * attempt from this IP (it takes a password guess). Better Auth checks the
 * password, `beforeDelete` deletes the todos, then Better Auth deletes the
 * user, their sessions and accounts, and expires its cookies; the hook in
 * better-auth.server.ts clears the token cookie.
 */
export async function deleteAccountWithForm(context: Context): Promise<AccountFormResult> {
  const form = await context.request.formData().catch(() => new FormData());
  const password = form.get("password");
  const fail = (status: number, message: string, headers?: Record<string, string>) => ({
    failure: { status, message, ...(headers ? { headers } : {}) },
  });

  const limited = await limitAuthAttempt(context.db, "sign-in", context.request, context.limit);
  if (!limited.allowed) {
    const wait = limited.retryAfterSeconds;
    return fail(429, rateLimitMessage(wait), { "Retry-After": String(wait) });
  }
  if (typeof password !== "string" || password === "") {
    return fail(400, ACCOUNT_MESSAGES.emptyPassword);
  }
  try {
    const { headers } = await context.auth.api.deleteUser({
      body: { password },
      headers: context.request.headers,
      returnHeaders: true,
    });
    const redirect = new Response(null, { status: 303, headers: { Location: "/sign-up" } });
    for (const cookie of headers.getSetCookie()) redirect.headers.append("Set-Cookie", cookie);
    return { redirect };
  } catch (error) {
    if (!isAPIError(error)) throw error;
    const code = (error.body as { code?: string } | undefined)?.code ?? "";
    if (code === TODOS_UNAVAILABLE) return fail(502, ACCOUNT_MESSAGES.unavailable);
    if (code === "INVALID_PASSWORD" || code === "PASSWORD_TOO_LONG") {
      return fail(400, ACCOUNT_MESSAGES.wrongPassword);
    }
    return fail(error.statusCode >= 500 ? 500 : 400, ACCOUNT_MESSAGES.failed);
  }
}
