import { APIError, createAuthMiddleware } from "better-auth/api";

/** The Better Auth error code for a deletion asked without a password. */
export const PASSWORD_REQUIRED = "PASSWORD_REQUIRED";

/**
 * Better Auth's `hooks.before`, for the page forms and `/api/auth/*` alike:
 *
 * - `/delete-user` needs a non-empty password, which Better Auth then checks.
 *   On its own, Better Auth checks a password only when one is sent, and
 *   otherwise accepts a fresh session or a deletion token instead.
 * - `/change-password` always revokes the person's other sessions.
 */
export const passwordRules = createAuthMiddleware(async (ctx) => {
  const body: unknown = ctx.body;
  const fields = typeof body === "object" && body !== null ? body : {};
  if (ctx.path === "/delete-user") {
    const password = (fields as { password?: unknown }).password;
    if (typeof password !== "string" || password === "") {
      throw new APIError("BAD_REQUEST", {
        code: PASSWORD_REQUIRED,
        message: "Enter your password to delete your account",
      });
    }
    return;
  }
  if (ctx.path === "/change-password") {
    return { context: { body: { ...fields, revokeOtherSessions: true } } };
  }
});
