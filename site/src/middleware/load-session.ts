import { defineMiddleware } from "astro:middleware";
import { remintOnceLive } from "../server/auth/read-ahead.server.ts";
import { requestAuth } from "../server/auth/request-auth.server.ts";
import { loadSession as readSession } from "../server/auth/session.server.ts";
import { tokenCookieName, usableTokenSubject } from "../server/auth/token-cookie.server.ts";
import { withRefreshedCookies } from "../server/http/refreshed-cookies.server.ts";
import { pagePath, READ_AHEAD_PAGES, SESSION_PAGES } from "./pages.ts";

/**
 * On the pages that read it, reads the session and keeps its API token fresh;
 * the cookies Better Auth refreshed while reading go on whatever answer follows.
 *
 * A page view of the todos whose token cookie is good for a while yet does not
 * wait: the page reads its todos with that token while the session is read,
 * and confirms the session (`locals.sessionCheck`) before showing anything.
 * Anything else, every form post included, waits for the session first.
 */
export const loadSession = defineMiddleware(async ({ request, url, locals, cookies }, next) => {
  const path = pagePath(url);
  if (!SESSION_PAGES.has(path)) return next();
  const reading = readSession(requestAuth(locals), locals.config, request, cookies);

  const token = cookies.get(tokenCookieName(locals.config.secure))?.value;
  const readAhead =
    READ_AHEAD_PAGES.has(path) &&
    (request.method === "GET" || request.method === "HEAD") &&
    token !== undefined &&
    (await usableTokenSubject(token, locals.config.jwtSecret)) !== undefined;
  if (readAhead) {
    // Unhandled until the page (or the line below) awaits it.
    reading.catch(() => {});
    locals.tokens = { token, remint: () => remintOnceLive(reading) };
    locals.sessionCheck = reading;
    const response = await next();
    return withRefreshedCookies(response, (await reading).setCookies);
  }

  const session = await reading;
  locals.user = session.user;
  locals.tokens = session.tokens;
  return withRefreshedCookies(await next(), session.setCookies);
});
