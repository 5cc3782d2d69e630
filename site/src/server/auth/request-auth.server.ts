import { env, waitUntil } from "cloudflare:workers";
import type { SiteConfig } from "../config.server.ts";
import { type Auth, createAuth } from "./better-auth.server.ts";

let built: { config: SiteConfig; auth: Auth } | undefined;

/**
 * The isolate's Better Auth, built on first use and reused by every request:
 * its settings and bindings are the isolate's, and what differs per request
 * (the D1 session, the timings) is reached through the request's context.
 */
export function requestAuth(locals: App.Locals): Auth {
  if (built?.config !== locals.config) {
    const bindings = {
      // Read on each query, never kept: an `env` overridden for a request (`withEnv`) is honoured.
      get AUTH_DB() {
        return env.AUTH_DB;
      },
      API: env.API,
      waitUntil,
    };
    built = { config: locals.config, auth: createAuth(bindings, locals.config) };
  }
  return built.auth;
}
