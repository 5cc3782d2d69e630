import type { BetterAuthOptions } from "better-auth";

/**
 * Better Auth's cookie names and attributes. On https every Better Auth cookie
 * (the session token above all) carries the `__Host-` prefix, like the API
 * token cookie: the browser then keeps it only with `Secure`, `Path=/` and no
 * `Domain`, so neither a sibling subdomain nor plain http can set or shadow it.
 * Better Auth's own https default is the weaker `__Secure-` prefix, so it is
 * turned off and the prefix given here.
 */
export function sessionCookiePrefix(secure: boolean): string {
  return secure ? "__Host-better-auth" : "better-auth";
}

export function sessionCookieOptions(secure: boolean) {
  return {
    useSecureCookies: false,
    cookiePrefix: sessionCookiePrefix(secure),
    defaultCookieAttributes: { secure, path: "/" },
  } satisfies BetterAuthOptions["advanced"];
}
