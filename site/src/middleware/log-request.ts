import { defineMiddleware } from "astro:middleware";
import { REQUEST_ID_HEADER } from "@todo/worker/trace";
import { traceOf } from "../server/trace.server.ts";

/**
 * Starts the request's trace (its id goes on every API call and on the answer as
 * `x-request-id`) and writes one JSON log line per request: ids, method, route
 * pattern (never the path, query, headers or cookies), final status, duration.
 */
export const logRequest = defineMiddleware(async (context, next) => {
  const started = Date.now();
  const trace = traceOf(context.request);
  context.locals.trace = trace;
  const response = await next();
  response.headers.set(REQUEST_ID_HEADER, trace.requestId);
  console.log(
    JSON.stringify({
      event: "request",
      requestId: trace.requestId,
      traceId: trace.traceId,
      method: context.request.method,
      route: context.routePattern,
      status: response.status,
      durationMs: Date.now() - started,
    }),
  );
  return response;
});
