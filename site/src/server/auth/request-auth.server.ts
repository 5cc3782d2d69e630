import { env, waitUntil } from "cloudflare:workers";
import { type Auth, createAuth } from "./better-auth.server.ts";

/**
 * This request's Better Auth: the one the middleware built for a page that
 * reads the session, else built now and kept in `locals` for the rest of the request.
 */
export function requestAuth(locals: App.Locals): Auth {
  locals.auth ??= createAuth({ AUTH_DB: env.AUTH_DB, API: env.API, waitUntil }, locals.config);
  return locals.auth;
}
