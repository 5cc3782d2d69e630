import type { MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import type { AppEnv } from "../env.ts";
import { logEvent } from "../log.ts";

/**
 * One JSON line per request: request id, trace id, method, route pattern (never the raw
 * path, query or headers), status, duration.
 */
export function requestLog(): MiddlewareHandler<AppEnv> {
  return async function requestLog(c, next) {
    const started = performance.now();
    await next();
    logEvent("request", {
      requestId: c.var.requestId,
      traceId: c.var.traceId,
      method: c.req.method,
      // The first route of the method matched is the one that answers (registration order).
      route: matchedRoutes(c).find((route) => route.method !== "ALL")?.path ?? null,
      status: c.res.status,
      durationMs: Math.round((performance.now() - started) * 100) / 100,
    });
  };
}
