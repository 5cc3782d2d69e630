declare namespace App {
  /** Set by src/middleware.ts for every page. */
  interface Locals {
    config: import("./lib/config.server.ts").SiteConfig;
    /** Built per request; absent when the middleware stopped the request early. */
    auth: import("./lib/auth.server.ts").Auth;
    user: import("./lib/session.server.ts").SessionUser | null;
    tokens: import("./lib/todos.server.ts").TokenSource | null;
  }
}
