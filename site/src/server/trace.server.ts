import {
  formatTraceparent,
  isRequestId,
  NEW_TRACE_FLAGS,
  newSpanId,
  newTraceId,
  parseTraceparent,
  REQUEST_ID_HEADER,
  TRACEPARENT_HEADER,
} from "@todo/worker/trace";

/**
 * What joins one page view's log lines in the site and in the API: its request id and
 * its trace. Both Workers log both, and the site sends both on every API call.
 */
export type Trace = {
  /** Cloudflare's `cf-ray` of this request when it has a usable one, else a random UUID. */
  requestId: string;
  /** The incoming `traceparent`'s trace id when well formed, else a new one. */
  traceId: string;
  /** The incoming `traceparent`'s flags, else sampled (`01`). */
  flags: string;
};

/**
 * The trace of an incoming request. A browser's `x-request-id` is not taken: the
 * request id is the edge's `cf-ray` (set by Cloudflare, so it finds the same request in
 * Cloudflare's own logs) or a fresh UUID. A malformed `traceparent` is ignored.
 */
export function traceOf(request: Request): Trace {
  const parent = parseTraceparent(request.headers.get(TRACEPARENT_HEADER));
  const ray = request.headers.get("cf-ray");
  return {
    requestId: isRequestId(ray) ? ray : crypto.randomUUID(),
    traceId: parent?.traceId ?? newTraceId(),
    flags: parent?.flags ?? NEW_TRACE_FLAGS,
  };
}

/** The headers of one API call of this trace: the request id, and a `traceparent` with a new span. */
export function traceHeaders(trace: Trace): Record<string, string> {
  return {
    [REQUEST_ID_HEADER]: trace.requestId,
    [TRACEPARENT_HEADER]: formatTraceparent(trace.traceId, newSpanId(), trace.flags),
  };
}
