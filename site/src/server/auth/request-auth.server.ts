import { env } from "cloudflare:workers";
import type { SiteConfig } from "../config.server.ts";
import { type Auth, createAuth } from "./better-auth.server.ts";

let built: { config: SiteConfig; auth: Auth } | undefined;

/**
 * The isolate's Better Auth, built on first use and reused by every request:
 * its settings and bindings are the isolate's, and what differs per request
 * (the D1 session, the timings) is reached through the request's context.
 */
export function requestAuth(locals: App.Locals): Auth {
  if (built?.config !== locals.config)
    built = { config: locals.config, auth: createAuth(env, locals.config) };
  return built.auth;
}
