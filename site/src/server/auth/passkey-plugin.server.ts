import { passkey } from "@better-auth/passkey";

/**
 * Better Auth's passkey plugin. The relying party is the site itself: its id is
 * the host of `BETTER_AUTH_URL` and the only origin accepted in a ceremony is
 * `BETTER_AUTH_URL`'s origin (never the request's `Origin` header). Passkeys are
 * discoverable, so sign-in needs no email first, and adding one needs a fresh
 * session (Better Auth's `freshSessionMiddleware`). Without an origin (the
 * migration generator) only the schema matters.
 */
export function passkeyPlugin(origin?: string) {
  return passkey({
    rpName: "Todo",
    ...(origin ? { rpID: new URL(origin).hostname, origin } : {}),
    authenticatorSelection: { residentKey: "required", userVerification: "preferred" },
  });
}
