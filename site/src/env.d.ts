declare namespace App {
  /** Set by the middleware (src/middleware/) before any page runs. */
  interface Locals {
    /** This request's id and trace, set first (log-request.ts). */
    trace: import("./server/trace.server.ts").Trace;
    /** The parsed settings (read-config.ts). */
    config: import("./server/config.server.ts").SiteConfig;
    /** The signed-in person; null when signed out or on a page that does not read the session. */
    user: import("./server/auth/session.server.ts").SessionUser | null;
    /** Their API token; null exactly when `user` is, except while `sessionCheck` is pending. */
    tokens: import("./server/api/todo-api.server.ts").TokenSource | null;
    /**
     * Set on a page view that reads its todos while the session is still being
     * read (load-session.ts): the session, to confirm before showing anything.
     */
    sessionCheck?: Promise<import("./server/auth/session.server.ts").Session>;
  }
}
