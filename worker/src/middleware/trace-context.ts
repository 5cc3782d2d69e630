import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env.ts";
import {
  formatTraceparent,
  NEW_TRACE_FLAGS,
  newSpanId,
  newTraceId,
  parseTraceparent,
  TRACEPARENT_HEADER,
} from "../trace/trace-context.ts";

/**
 * Joins the caller's trace when its `traceparent` is well formed, else starts a new one,
 * and answers with a `traceparent` naming that trace and this request's span. A malformed
 * value is replaced, never echoed.
 */
export function traceContext(): MiddlewareHandler<AppEnv> {
  return async function traceContext(c, next) {
    const parent = parseTraceparent(c.req.header(TRACEPARENT_HEADER));
    const traceId = parent?.traceId ?? newTraceId();
    const spanId = newSpanId();
    c.set("traceId", traceId);
    c.set("spanId", spanId);
    c.header(
      TRACEPARENT_HEADER,
      formatTraceparent(traceId, spanId, parent?.flags ?? NEW_TRACE_FLAGS),
    );
    await next();
  };
}
