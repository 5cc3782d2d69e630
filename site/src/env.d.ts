declare namespace App {
  /** Set by src/middleware.ts for every page. */
  interface Locals {
    config: import("./server/config.server.ts").SiteConfig;
    /** Built per request; absent when the middleware stopped the request early. */
    auth: import("./server/auth/better-auth.server.ts").Auth;
    user: import("./server/auth/session.server.ts").SessionUser | null;
    tokens: import("./server/api/todo-api.server.ts").TokenSource | null;
  }
}
