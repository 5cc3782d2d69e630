import type { Auth } from "./better-auth.server.ts";

/** A passkey as the account page shows it. */
export type ListedPasskey = { id: string; name: string; addedAt: Date | undefined };

/** The signed-in person's passkeys (Better Auth's `listPasskeys`), newest first. */
export async function listPasskeys(auth: Auth, headers: Headers): Promise<ListedPasskey[]> {
  const passkeys = await auth.api.listPasskeys({ headers });
  return passkeys
    .map((passkey) => ({
      id: passkey.id,
      name: passkey.name?.trim() || "Passkey",
      addedAt: passkey.createdAt ? new Date(passkey.createdAt) : undefined,
    }))
    .sort((a, b) => (b.addedAt?.getTime() ?? 0) - (a.addedAt?.getTime() ?? 0));
}

/**
 * Removes one of the signed-in person's passkeys. Better Auth's `deletePasskey`
 * checks the owner; another person's passkey, or one already gone, gives false.
 */
export async function removeOwnPasskey(auth: Auth, headers: Headers, id: string) {
  try {
    await auth.api.deletePasskey({ body: { id }, headers });
    return true;
  } catch {
    return false;
  }
}
