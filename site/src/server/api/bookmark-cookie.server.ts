import { parseBookmark } from "@todo/worker/contract";
import type { AstroCookies } from "astro";
import type { TokenCookie } from "../auth/token-cookie.server.ts";

/**
 * The last D1 bookmark the API answered lives in this cookie, and goes back to
 * the API as `x-d1-bookmark` on the next call, so a person reads their own
 * writes even from a replica: `HttpOnly; SameSite=Lax; Path=/`, plus `Secure`
 * and the `__Host-` prefix on https. It lasts as long as the browser session,
 * and sign-out and account deletion clear it with the other cookies. Its value is
 * `<shard>:<bookmark>`: a bookmark only means something on the shard it came from.
 */
const BASE_NAME = "todo_bookmark";

/**
 * Where the API's bookmarks are read from and kept, for one request, each with the shard
 * of the token it was answered to (the shard that request ran on).
 */
export type BookmarkJar = {
  /** The bookmark to send on `shard`: none when the one kept is another shard's. */
  get(shard: string): string | undefined;
  set(shard: string, bookmark: string): void;
};

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

type Kept = { shard: string; bookmark: string };

/** `<shard>:<bookmark>` as kept; anything else (an older cookie, garbage) is nothing. */
function parseKept(value: string | undefined): Kept | undefined {
  const colon = value?.indexOf(":") ?? -1;
  if (value === undefined || colon <= 0) return undefined;
  const bookmark = parseBookmark(value.slice(colon + 1));
  return bookmark === undefined ? undefined : { shard: value.slice(0, colon), bookmark };
}

/**
 * The request's bookmark cookie as a jar: a bookmark kept for the shard asked about is
 * sent; one of another shard (the person moved, or a cookie from before shards) or not
 * in D1's shape is as if there were none: never an error.
 */
export function bookmarkCookie(cookies: AstroCookies, secure: boolean): BookmarkJar {
  const name = bookmarkCookieName(secure);
  let current = parseKept(cookies.get(name)?.value);
  return {
    get: (shard) => (current?.shard === shard ? current.bookmark : undefined),
    set(shard, bookmark) {
      const valid = parseBookmark(bookmark);
      if (valid === undefined || (current?.shard === shard && current.bookmark === valid)) return;
      current = { shard, bookmark: valid };
      cookies.set(name, `${shard}:${valid}`, options(secure));
    },
  };
}
