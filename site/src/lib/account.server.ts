import { mintToken } from "@todo/worker/token";
import { APIError, isAPIError } from "better-auth/api";
import { ApiUnavailableError, apiTransport } from "./api.server.ts";
import type { Auth } from "./auth.server.ts";
import type { SiteConfig } from "./config.server.ts";
import { limitAuthAttempt, type RateLimit, rateLimitMessage } from "./rate-limit.server.ts";
import { SignedOutError, todoApi } from "./todos.server.ts";

/** The Better Auth error code for "the todos could not be deleted, so the user was not". */
const TODOS_UNAVAILABLE = "TODOS_UNAVAILABLE";

export const ACCOUNT_MESSAGES = {
  emptyPassword: "Enter your password to delete your account.",
  wrongPassword: "That password is not right. Your account was not deleted.",
  unavailable:
    "Can't reach the todo service: it is unavailable right now. Nothing was deleted: your account and todos are still here. Please try again in a moment.",
  failed: "That did not work, and nothing was deleted. Please try again.",
} as const;

/**
 * Better Auth's `user.deleteUser.beforeDelete`: runs once the password is
 * verified and before the user is deleted. Deletes the person's todos through
 * the API with a token minted for them, and stops the deletion (an
 * `APIError`, so nothing is deleted) unless the API confirmed.
 */
export function deleteTodosBeforeUser(api: Fetcher | undefined, config: SiteConfig) {
  return async (user: { id: string }): Promise<void> => {
    const mint = async () => (await mintToken(user.id, config.jwtSecret)).token;
    const todos = todoApi(apiTransport(config, api), { token: await mint(), remint: mint });
    try {
      await todos.deleteAll();
    } catch (error) {
      if (!(error instanceof ApiUnavailableError || error instanceof SignedOutError)) throw error;
      throw new APIError("SERVICE_UNAVAILABLE", {
        code: TODOS_UNAVAILABLE,
        message: "The todos could not be deleted, so the account was kept",
      });
    }
  };
}

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
 * auth.server.ts clears the token cookie.
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
