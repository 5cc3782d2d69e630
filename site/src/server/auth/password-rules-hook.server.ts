import type { HookEndpointContext } from "better-auth";
import { APIError, getSessionFromCtx, isAPIError } from "better-auth/api";
import {
  accountFailureLock,
  clearAccountFailures,
  recordAccountFailure,
} from "./account-failures.server.ts";
import { accountKey } from "./account-key.server.ts";
import { passwordProblem } from "./password-rule.ts";
import type { RateLimit } from "./rate-limit.server.ts";
import { isLinkToken } from "./verification-links.server.ts";

/** The Better Auth error code for a deletion asked without a password. */
export const PASSWORD_REQUIRED = "PASSWORD_REQUIRED";
/** The Better Auth error code of an account whose password attempts are paused (429). */
export const ACCOUNT_LOCKED = "ACCOUNT_LOCKED";

/** What the rules need: the auth database, the auth secret (for the account key) and the limit. */
export type AccountRules = {
  db: () => D1Database;
  secret: string;
  failures: RateLimit;
};

type Fields = Record<string, unknown>;
const fieldsOf = (ctx: HookEndpointContext): Fields => {
  const body: unknown = ctx.body;
  return typeof body === "object" && body !== null ? (body as Fields) : {};
};
const text = (value: unknown) => (typeof value === "string" ? value : "");

/** The endpoints that check the signed-in person's current password. */
const CHECKS_CURRENT = new Set(["/change-password", "/delete-user", "/verify-password"]);

/** Whose password this request tries: the email sent to sign in, or the signed-in person's. */
async function triedEmail(ctx: HookEndpointContext): Promise<string | undefined> {
  if (ctx.path === "/sign-in/email") return text(fieldsOf(ctx).email);
  if (!ctx.path || !CHECKS_CURRENT.has(ctx.path)) return undefined;
  const session = await getSessionFromCtx(ctx as never);
  return session?.user.email;
}

/** Refuses a new password the rule (password-rule.ts) does not allow. */
async function checkNewPassword(password: string, email: string) {
  const problem = await passwordProblem(password, email);
  if (problem) throw new APIError("BAD_REQUEST", { code: problem, message: problem });
}

/** The email of the person a reset token belongs to, when it is usable. */
async function resetTokenEmail(ctx: HookEndpointContext, token: string) {
  if (token === "") return undefined;
  const { internalAdapter } = ctx.context;
  const row = await internalAdapter.findVerificationValue(`reset-password:${token}`);
  if (!row || new Date(row.expiresAt) < new Date()) return undefined;
  return (await internalAdapter.findUserById(row.value))?.email;
}

/**
 * Better Auth's `hooks.before`, for the page forms and `/api/auth/*` alike:
 *
 * - `GET /reset-password/:token` is closed like the other reset endpoints:
 *   reset links lead to the site's own page.
 * - `/delete-user` needs a non-empty password, which Better Auth then checks.
 *   On its own, Better Auth checks a password only when one is sent, and
 *   otherwise accepts a fresh session or a deletion token instead.
 * - An account with too many failed password checks gets 429 with `Retry-After`
 *   before its password is checked, from every client address.
 * - A new password (sign-up, change, reset) must follow the rule.
 * - `/change-password` always revokes the person's other sessions.
 */
export async function accountRulesBefore(rules: AccountRules, ctx: HookEndpointContext) {
  // Better Auth's `disabledPaths` matches exact paths only; this one carries a token.
  if (ctx.path === "/reset-password/:token") throw new APIError("NOT_FOUND");
  const fields = fieldsOf(ctx);
  if (ctx.path === "/delete-user") {
    const password = fields.password;
    if (typeof password !== "string" || password === "") {
      throw new APIError("BAD_REQUEST", {
        code: PASSWORD_REQUIRED,
        message: "Enter your password to delete your account",
      });
    }
  }
  const email = await triedEmail(ctx);
  if (email !== undefined) {
    const account = await accountKey(rules.secret, email);
    const lock = await accountFailureLock(rules.db(), account, rules.failures);
    if (!lock.allowed) {
      const seconds = lock.retryAfterSeconds;
      throw new APIError(
        "TOO_MANY_REQUESTS",
        {
          code: ACCOUNT_LOCKED,
          message: `Too many failed password attempts for this account. Try again in ${seconds} seconds.`,
        },
        { "Retry-After": String(seconds) },
      );
    }
  }
  if (ctx.path === "/sign-up/email") {
    await checkNewPassword(text(fields.password), text(fields.email));
  }
  if (ctx.path === "/reset-password") {
    if (!isLinkToken(text(fields.token))) {
      throw new APIError("BAD_REQUEST", { code: "INVALID_TOKEN", message: "Invalid token" });
    }
    const owner = await resetTokenEmail(ctx, text(fields.token));
    // An unusable token is Better Auth's to refuse (INVALID_TOKEN).
    if (owner !== undefined) await checkNewPassword(text(fields.newPassword), owner);
  }
  if (ctx.path === "/change-password") {
    await checkNewPassword(text(fields.newPassword), email ?? "");
    return { context: { body: { ...fields, revokeOtherSessions: true } } };
  }
}

/** The Better Auth codes of a password that did not match. */
const WRONG_PASSWORD = new Set(["INVALID_EMAIL_OR_PASSWORD", "INVALID_PASSWORD"]);

/**
 * Better Auth's `hooks.after` part of the rules: a failed password check counts
 * against the account (an unknown email too, as Better Auth answers it alike).
 */
export async function accountRulesAfter(rules: AccountRules, ctx: HookEndpointContext) {
  const returned = ctx.context.returned;
  if (!isAPIError(returned)) return;
  const code = (returned.body as { code?: string } | undefined)?.code ?? "";
  if (!WRONG_PASSWORD.has(code)) return;
  const email = await triedEmail(ctx);
  if (email === undefined || email === "") return;
  await recordAccountFailure(rules.db(), await accountKey(rules.secret, email), rules.failures);
}

/** After a successful reset the account starts afresh. */
export async function forgetAccountFailures(rules: AccountRules, email: string) {
  await clearAccountFailures(rules.db(), await accountKey(rules.secret, email));
}
