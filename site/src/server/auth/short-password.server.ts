import type { HookEndpointContext } from "better-auth";
import { isShortPassword } from "./password-rule.ts";

/**
 * `user.shortPassword`: true when the person last signed in with a password
 * shorter than a new one may be (set under older rules). The password's
 * length is known only at sign-in, while Better Auth has it in hand; the flag
 * is all that is kept, and /account suggests a change while it is set.
 */
export const shortPasswordField = {
  shortPassword: { type: "boolean", required: false, defaultValue: false, input: false },
} as const;

/**
 * Better Auth's `hooks.after`, for a new session: after an email sign-in the
 * flag follows the password just checked; after a password change it is cleared.
 */
export async function noteShortPassword(ctx: HookEndpointContext): Promise<void> {
  const created = ctx.context.newSession as
    | { user: { id: string; shortPassword?: boolean | null } }
    | null
    | undefined;
  if (!created) return;
  let short: boolean;
  if (ctx.path === "/sign-in/email") {
    const password = (ctx.body as { password?: unknown } | undefined)?.password;
    if (typeof password !== "string") return;
    short = isShortPassword(password);
  } else if (ctx.path === "/change-password") {
    short = false;
  } else {
    return;
  }
  if (Boolean(created.user.shortPassword) === short) return;
  await ctx.context.internalAdapter.updateUser(created.user.id, { shortPassword: short });
}
