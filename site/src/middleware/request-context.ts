import { defineMiddleware } from "astro:middleware";
import { requestPlace } from "../server/auth/session-place.server.ts";
import { serverTimingValue } from "../server/http/server-timing.server.ts";
import { type RequestContext, runWithRequestContext } from "../server/request-context.server.ts";
import { pagePath, REPLICA_SESSION_POSTS } from "./pages.ts";

const READS = new Set(["GET", "HEAD"]);

/**
 * Runs the rest of the request in its own context (server/request-context.server.ts)
 * and puts what it timed on the answer as `Server-Timing`. Page views and the todo
 * forms may read the auth database from a replica; anything else (sign-in, sign-up,
 * sign-out, the account forms, `/api/auth/*` posts) reads it at the primary.
 */
export const requestContext = defineMiddleware(async ({ request, url, locals }, next) => {
  const started = performance.now();
  const nearby = READS.has(request.method) || REPLICA_SESSION_POSTS.has(pagePath(url));
  const context: RequestContext = {
    timings: [],
    authStart: nearby ? "first-unconstrained" : "first-primary",
    trace: locals.trace,
    // Set by the Workers runtime on every incoming request (absent in `astro dev`).
    location: request.cf as IncomingRequestCfProperties | undefined,
    place: requestPlace(request),
  };
  const response = await runWithRequestContext(context, next);
  response.headers.set(
    "Server-Timing",
    serverTimingValue(context.timings, performance.now() - started),
  );
  return response;
});
