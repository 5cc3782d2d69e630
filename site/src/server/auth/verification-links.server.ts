import type { AuthContext, BetterAuthOptions } from "better-auth";

/**
 * Links mailed to a person (password reset today; email verification and the
 * like when they come) are Better Auth verification rows `<kind>:<token>` whose
 * value is the person's user id. Here:
 *
 * - the identifier is stored hashed, its kind kept readable (`reset-password:#`
 *   + SHA-256 of the whole identifier), so a copy of the table holds no usable
 *   token; Better Auth hashes the same way on every lookup. Better Auth also
 *   looks a hashed identifier up as sent (rows from before hashing); so that a
 *   stored hash never works as a token, a token must look like one Better Auth
 *   makes ({@link isLinkToken}), which the `#` in every stored hash never does;
 * - a new link of one kind ends the person's older links of that kind;
 * - {@link endLinksOf} ends every outstanding link of a person.
 */

/** The part of an identifier that names its kind, e.g. `reset-password:` ("" when none). */
const kindOf = (identifier: string) => {
  const colon = identifier.indexOf(":");
  return colon === -1 ? "" : identifier.slice(0, colon + 1);
};

async function hashIdentifier(identifier: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(identifier));
  return `${kindOf(identifier)}#${Buffer.from(digest).toString("base64url")}`;
}

/** A token as Better Auth generates them (letters and digits): never a stored hash. */
export const isLinkToken = (token: string): boolean => /^[A-Za-z0-9]{16,128}$/.test(token);

/** Better Auth's `verification` option: identifiers stored hashed, kind kept. */
export const verificationStorage = {
  storeIdentifier: { hash: hashIdentifier },
} satisfies BetterAuthOptions["verification"];

type Adapter = AuthContext["adapter"];

/** Ends the person's links of `kind` (one live link per kind and person). */
async function endLinksOfKind(adapter: Adapter, kind: string, userId: string) {
  await adapter.deleteMany({
    model: "verification",
    where: [
      { field: "identifier", operator: "starts_with", value: kind },
      { field: "value", value: userId },
    ],
  });
}

/** Ends every outstanding link of the person (each row whose value is their user id). */
export async function endLinksOf(adapter: Adapter, userId: string): Promise<void> {
  await adapter.deleteMany({ model: "verification", where: [{ field: "value", value: userId }] });
}

/** The kinds of link that a newer one of the same kind replaces. */
const ONE_LIVE = ["reset-password:", "email-verification:"];

/** Better Auth's `databaseHooks.verification`: a new link ends the older ones of its kind. */
export const oneLiveLink = {
  create: {
    before: async (
      verification: { identifier: string; value: string },
      context: { context: { adapter: Adapter } } | null,
    ) => {
      const kind = kindOf(verification.identifier);
      if (!context || !ONE_LIVE.includes(kind)) return;
      await endLinksOfKind(context.context.adapter, kind, verification.value);
    },
  },
} satisfies NonNullable<NonNullable<BetterAuthOptions["databaseHooks"]>["verification"]>;
