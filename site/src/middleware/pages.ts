/** Pages for people who are not signed in; a signed-in person goes to their todos. */
export const GUEST_PAGES = new Set(["/sign-in", "/sign-up"]);
/** Pages for signed-in people; anyone else goes to sign in. */
export const MEMBER_PAGES = new Set(["/todos", "/account", "/account/export"]);
/** Pages that read the session (`/` redirects on it). */
export const SESSION_PAGES = new Set(["/", ...GUEST_PAGES, ...MEMBER_PAGES, "/verify-email"]);

/** The page a URL names, without a trailing slash (`/todos/` is `/todos`). */
export const pagePath = (url: URL): string =>
  url.pathname.length > 1 ? url.pathname.replace(/\/+$/, "") : url.pathname;
/** Pages that may read their data while the session is still being read (load-session.ts). */
export const READ_AHEAD_PAGES = new Set(["/todos"]);
/**
 * Pages whose form posts may check the session at a read replica: they change only
 * todos (through the API), never the auth database, so the primary is not needed.
 */
export const REPLICA_SESSION_POSTS = new Set(["/todos"]);
