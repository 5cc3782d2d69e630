import { defineMiddleware } from "astro:middleware";
import { requestAuth } from "../server/auth/request-auth.server.ts";
import { loadSession as readSession } from "../server/auth/session.server.ts";
import { withRefreshedCookies } from "../server/http/refreshed-cookies.server.ts";
import { pagePath, SESSION_PAGES } from "./pages.ts";

/**
 * On the pages that read it, reads the session and keeps its API token fresh;
 * the cookies Better Auth refreshed while reading go on whatever answer follows.
 */
export const loadSession = defineMiddleware(async ({ request, url, locals, cookies }, next) => {
  if (!SESSION_PAGES.has(pagePath(url))) return next();
  const session = await readSession(requestAuth(locals), locals.config, request, cookies);
  locals.user = session.user;
  locals.tokens = session.tokens;
  return withRefreshedCookies(await next(), session.setCookies);
});
