import type { AstroCookies } from "astro";
import { clearedBookmarkCookie } from "../api/bookmark-cookie.server.ts";
import type { TokenSource } from "../api/todo-api.server.ts";
import type { SiteConfig } from "../config.server.ts";
import { readAuthAtPrimary } from "./auth-database.server.ts";
import type { Auth } from "./better-auth.server.ts";
import { homeShardOf } from "./home-shard.server.ts";
import {
  clearedTokenCookie,
  issueTokenCookie,
  needsFreshToken,
  tokenCookieName,
} from "./token-cookie.server.ts";

export type SessionUser = {
  id: string;
  name: string;
  email: string;
  /** Signed in with a password shorter than a new one may be (short-password.server.ts). */
  shortPassword: boolean;
  emailVerified: boolean;
  /** The id of this browser's session (the account page marks it in the sessions list). */
  sessionId: string;
};

export type Session = {
  user: SessionUser | null;
  /** The API token for a live session, re-minted when missing or near expiry. */
  tokens: TokenSource | null;
  /** Cookies Better Auth set while reading the session (a refreshed expiry). */
  setCookies: string[];
};

/**
 * Reads the Better Auth session from the database (no cookie cache) and makes
 * sure a live one has a usable API token cookie. A dead session loses its token
 * cookie. A page view reads it where the request's auth reads start (a replica
 * may answer); when that does not know the session the browser holds (it was
 * created a moment ago at the primary), the primary is asked once more. Without a session
 * cookie there is no session to read, so Better Auth is not called at all (signed-out
 * page views are the most common).
 */
export async function loadSession(
  auth: Auth,
  config: SiteConfig,
  request: Request,
  cookies: AstroCookies,
): Promise<Session> {
  const { authCookies } = await auth.$context;
  const hasSessionCookie = cookies.get(authCookies.sessionToken.name) !== undefined;
  const read = () => auth.api.getSession({ headers: request.headers, returnHeaders: true });
  let { headers, response } = hasSessionCookie
    ? await read()
    : { headers: new Headers(), response: null };
  if (!response && hasSessionCookie && readAuthAtPrimary()) {
    ({ headers, response } = await read());
  }
  const setCookies = headers.getSetCookie();
  const name = tokenCookieName(config.secure);
  const current = cookies.get(name)?.value;

  if (!response) {
    // A dead session takes this browser's API token and bookmark with it.
    for (const cleared of [
      clearedTokenCookie(config.secure),
      clearedBookmarkCookie(config.secure),
    ]) {
      if (cookies.get(cleared.name) !== undefined) {
        cookies.set(cleared.name, cleared.value, cleared.options);
      }
    }
    return { user: null, tokens: null, setCookies };
  }

  const { id, name: userName, email, emailVerified, shortPassword } = response.user;
  const shard = homeShardOf(response.user);
  const remint = async () => {
    const cookie = await issueTokenCookie(id, config.jwtSecret, config.secure, shard);
    cookies.set(cookie.name, cookie.value, cookie.options);
    return cookie.value;
  };
  const fresh = await needsFreshToken(current, id, config.jwtSecret, undefined, shard);
  const token = fresh || current === undefined ? await remint() : current;
  const user = {
    id,
    name: userName,
    email,
    emailVerified,
    shortPassword: Boolean(shortPassword),
    sessionId: response.session.id,
  };
  return { user, tokens: { token, remint }, setCookies };
}

/**
 * Revokes the session in the database and returns the `Set-Cookie` values that
 * clear the session cookies and, through the hook in better-auth.server.ts, the token
 * cookie. Safe to call without a session.
 */
export async function endSession(auth: Auth, request: Request): Promise<string[]> {
  const { headers } = await auth.api.signOut({ headers: request.headers, returnHeaders: true });
  return headers.getSetCookie();
}
