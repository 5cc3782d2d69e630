import { passkey } from "@better-auth/passkey";

/** The plugin's challenge cookie name, before Better Auth's prefix. */
const CHALLENGE_COOKIE = "better-auth-passkey";

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
    advanced: { webAuthnChallengeCookie: CHALLENGE_COOKIE },
  });
}

type CookieContext = {
  context: {
    createAuthCookie: (name: string) => { name: string; attributes: Record<string, unknown> };
  };
  setCookie: (name: string, value: string, options: Record<string, unknown>) => unknown;
};

/**
 * Expires the passkey challenge cookie (the plugin leaves it for its 5 minutes): once a
 * session starts or ends, no ceremony of this browser is still waiting for it.
 */
export function clearPasskeyChallenge(ctx: CookieContext) {
  const cookie = ctx.context.createAuthCookie(CHALLENGE_COOKIE);
  ctx.setCookie(cookie.name, "", { ...cookie.attributes, maxAge: 0 });
}
