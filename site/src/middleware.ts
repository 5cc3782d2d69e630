import { defineMiddleware } from "astro:middleware";
import { env } from "cloudflare:workers";
import { createAuth } from "./server/auth/better-auth.server.ts";
import { loadSession } from "./server/auth/session.server.ts";
import { ConfigError, readConfig } from "./server/config.server.ts";
import { isCrossSiteRequest } from "./server/http/origin-check.server.ts";
import { plainPage } from "./server/http/plain-page.server.ts";
import { withSecurityHeaders } from "./server/http/security-headers.server.ts";

/** Pages for people who are not signed in; a signed-in person goes to their todos. */
const GUEST_PAGES = new Set(["/sign-in", "/sign-up"]);
/** Pages for signed-in people; anyone else goes to sign in. */
const MEMBER_PAGES = new Set(["/todos", "/account"]);
/** Pages that read the session (`/` redirects on it). */
const SESSION_PAGES = new Set(["/", ...GUEST_PAGES, ...MEMBER_PAGES]);

const withoutTrailingSlash = (path: string) => (path.length > 1 ? path.replace(/\/+$/, "") : path);

/**
 * Decides who sees which page. In order: refuse cross-site state changes
 * (CSRF), read the settings, read the session and keep its API token fresh,
 * redirect by sign-in state, render. Every answer gets the security headers
 * and one JSON log line.
 */
export const onRequest = defineMiddleware(async (context, next) => {
  const started = Date.now();
  let response: Response;
  try {
    response = await handle(context, next);
  } catch (error) {
    response = failure(error);
  }
  await discardUnreadBody(context.request);
  // A copy: some responses (redirects) have immutable headers.
  const secured = withSecurityHeaders(
    new Response(response.body, response),
    context.url.protocol === "https:",
  );
  console.log(
    JSON.stringify({
      event: "request",
      requestId: context.request.headers.get("cf-ray") ?? crypto.randomUUID(),
      method: context.request.method,
      route: context.routePattern,
      status: secured.status,
      durationMs: Date.now() - started,
    }),
  );
  return secured;
});

type Context = Parameters<Parameters<typeof defineMiddleware>[0]>[0];
type Next = () => Promise<Response>;

async function handle(context: Context, next: Next): Promise<Response> {
  const { request, url, locals, cookies } = context;
  if (isCrossSiteRequest(request, url.origin)) {
    return plainPage(
      403,
      "This form came from another site",
      "For your safety, forms are only accepted from this site's own pages. Go back, reload the page and try again.",
    );
  }
  const config = readConfig(env, import.meta.env.DEV);
  locals.config = config;
  locals.user = null;
  locals.tokens = null;

  const path = withoutTrailingSlash(url.pathname);
  if (!SESSION_PAGES.has(path)) return next();

  const auth = createAuth(env, config);
  locals.auth = auth;
  const session = await loadSession(auth, config, request, cookies);
  locals.user = session.user;
  locals.tokens = session.tokens;

  const redirectStatus = request.method === "GET" || request.method === "HEAD" ? 302 : 303;
  let response: Response;
  if (!session.user && MEMBER_PAGES.has(path))
    response = context.redirect("/sign-in", redirectStatus);
  else if (session.user && GUEST_PAGES.has(path))
    response = context.redirect("/todos", redirectStatus);
  else response = await next();

  if (session.setCookies.length === 0) return response;
  // A cookie the page set itself (account deletion expires the session's) wins over a refresh.
  const own = new Set(response.headers.getSetCookie().map(cookieName));
  const withCookies = new Response(response.body, response);
  for (const cookie of session.setCookies) {
    if (!own.has(cookieName(cookie))) withCookies.headers.append("Set-Cookie", cookie);
  }
  return withCookies;
}

const cookieName = (setCookie: string) => setCookie.slice(0, setCookie.indexOf("="));

/**
 * Reads to the end a request body nobody read (a refused or redirected POST).
 * Answering before the upload is complete makes the dev server's proxy drop
 * the connection now and then ("fetch failed"); reading costs little.
 */
async function discardUnreadBody(request: Request): Promise<void> {
  if (!request.body || request.bodyUsed) return;
  try {
    const reader = request.body.getReader();
    while (!(await reader.read()).done) {
      // discard
    }
  } catch {
    // the client went away: nothing to do
  }
}

function failure(error: unknown): Response {
  if (error instanceof ConfigError) {
    console.error(JSON.stringify({ event: "misconfigured", message: error.message }));
    return plainPage(
      500,
      "The site is not set up correctly",
      "Its settings are incomplete, so it is not accepting requests. Please try again later.",
    );
  }
  console.error(
    JSON.stringify({
      event: "error",
      error: error instanceof Error ? error.name : "unknown",
      message: error instanceof Error ? error.message : String(error),
    }),
  );
  return plainPage(
    500,
    "Something went wrong",
    "We could not finish that. Please try again in a moment.",
  );
}
