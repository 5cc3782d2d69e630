import { defineMiddleware } from "astro:middleware";
import { serverTimingValue } from "../server/http/server-timing.server.ts";
import { type RequestContext, runWithRequestContext } from "../server/request-context.server.ts";

const READS = new Set(["GET", "HEAD"]);

/**
 * Runs the rest of the request in its own context (server/request-context.server.ts)
 * and puts what it timed on the answer as `Server-Timing`. Page views may read the
 * auth database from a replica; anything else reads it at the primary.
 */
export const requestContext = defineMiddleware(async ({ request }, next) => {
  const started = performance.now();
  const context: RequestContext = {
    timings: [],
    authStart: READS.has(request.method) ? "first-unconstrained" : "first-primary",
  };
  const response = await runWithRequestContext(context, next);
  response.headers.set(
    "Server-Timing",
    serverTimingValue(context.timings, performance.now() - started),
  );
  return response;
});
