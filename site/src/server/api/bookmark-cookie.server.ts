import { parseBookmark } from "@todo/worker/contract";
import type { AstroCookies } from "astro";
import type { TokenCookie } from "../auth/token-cookie.server.ts";

/**
 * The last D1 bookmark the API answered lives in this cookie, and goes back to
 * the API as `x-d1-bookmark` on the next call, so a person reads their own
 * writes even from a replica: `HttpOnly; SameSite=Lax; Path=/`, plus `Secure`
 * and the `__Host-` prefix on https. It lasts as long as the browser session,
 * and sign-out and account deletion clear it with the other cookies.
 */
const BASE_NAME = "todo_bookmark";

/** Where the API's bookmarks are read from and kept, for one request. */
export type BookmarkJar = { get(): string | undefined; set(bookmark: string): void };

/** The cookie's name: `__Host-todo_bookmark` on https, `todo_bookmark` on plain http. */
export function bookmarkCookieName(secure: boolean): string {
  return secure ? `__Host-${BASE_NAME}` : BASE_NAME;
}

const options = (secure: boolean) =>
  ({ httpOnly: true, sameSite: "lax", path: "/", secure }) as const;

/** The cookie that deletes the bookmark cookie (sign-out, account deletion). */
export function clearedBookmarkCookie(secure: boolean): TokenCookie {
  return {
    name: bookmarkCookieName(secure),
    value: "",
    options: { ...options(secure), maxAge: 0 },
  };
}

/**
 * The request's bookmark cookie as a jar: only a bookmark in D1's shape is read
 * or kept; anything else in the cookie is as if there were none.
 */
export function bookmarkCookie(cookies: AstroCookies, secure: boolean): BookmarkJar {
  const name = bookmarkCookieName(secure);
  let current = parseBookmark(cookies.get(name)?.value);
  return {
    get: () => current,
    set(bookmark) {
      const valid = parseBookmark(bookmark);
      if (valid === undefined || valid === current) return;
      current = valid;
      cookies.set(name, valid, options(secure));
    },
  };
}
