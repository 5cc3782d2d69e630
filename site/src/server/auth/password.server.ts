import type { AuthContext } from "better-auth";
import { verifyPassword as verifyLegacyHash } from "better-auth/crypto";
import {
  hasCurrentParams,
  hashScrypt,
  parseScryptHash,
  verifyScrypt,
} from "./scrypt-hash.server.ts";

/** Better Auth's own format before ours: `<salt hex>:<key hex>`, scrypt N=2^14 r=16 p=1. */
const LEGACY = /^[0-9a-f]+:[0-9a-f]+$/;

async function verify({ hash, password }: { hash: string; password: string }) {
  if (parseScryptHash(hash)) return verifyScrypt(hash, password);
  if (!LEGACY.test(hash)) return false;
  return verifyLegacyHash({ hash, password }).catch(() => false);
}

/** Better Auth's `emailAndPassword.password`: PHC scrypt, and the legacy format still verifies. */
export const passwordHashing = { hash: (password: string) => hashScrypt(password), verify };

/** The parts of Better Auth's `hooks.after` context that re-hashing reads. */
export type SignInHookContext = {
  path: string;
  body?: unknown;
  context: Pick<AuthContext, "internalAdapter" | "password"> & {
    newSession: { user: { id: string } } | null;
  };
};

/**
 * After a successful email sign-in, re-hashes the password at the current setting when
 * the stored hash was made otherwise (Better Auth's legacy format or older parameters).
 * The password has just been verified, so it is the right one to hash.
 */
export async function rehashAfterSignIn(ctx: SignInHookContext): Promise<void> {
  const userId = ctx.context.newSession?.user.id;
  const password = (ctx.body as { password?: unknown } | undefined)?.password;
  if (ctx.path !== "/sign-in/email" || !userId || typeof password !== "string") return;
  const { internalAdapter } = ctx.context;
  try {
    const accounts = await internalAdapter.findAccounts(userId);
    const stored = accounts.find((account) => account.providerId === "credential")?.password;
    if (!stored || hasCurrentParams(stored)) return;
    await internalAdapter.updatePassword(userId, await ctx.context.password.hash(password));
  } catch (error) {
    // The sign-in stands and the old hash still verifies; the next sign-in tries again.
    const name = error instanceof Error ? error.name : "unknown";
    console.error(JSON.stringify({ event: "password-rehash-failed", error: name }));
  }
}
