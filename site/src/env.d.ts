declare namespace App {
  /** Set by the middleware (src/middleware/) before any page runs. */
  interface Locals {
    /** The parsed settings (read-config.ts). */
    config: import("./server/config.server.ts").SiteConfig;
    /** The signed-in person; null when signed out or on a page that does not read the session. */
    user: import("./server/auth/session.server.ts").SessionUser | null;
    /** Their API token; null exactly when `user` is. */
    tokens: import("./server/api/todo-api.server.ts").TokenSource | null;
    /**
     * This request's Better Auth: set on the pages that read the session, else
     * absent until `requestAuth(locals)` builds it.
     */
    auth?: import("./server/auth/better-auth.server.ts").Auth;
  }
}
