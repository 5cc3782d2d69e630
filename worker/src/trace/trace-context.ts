/**
 * W3C Trace Context (`traceparent`) and the request id: the two values that join a page
 * view's log lines in the site and the API. Both Workers read and write them with these
 * functions, so a value one accepts the other accepts too.
 */

/** Request header carrying the caller's trace (W3C Trace Context, version 00). */
export const TRACEPARENT_HEADER = "traceparent";
/** Request and response header carrying the request id both Workers log. */
export const REQUEST_ID_HEADER = "x-request-id";
/** The longest request id accepted from a caller; a longer one is replaced. */
export const REQUEST_ID_MAX_LENGTH = 64;

/** Letters, digits, `_`, `-` and `=`: the characters hono's `requestId()` accepts. */
const REQUEST_ID_SHAPE = new RegExp(`^[A-Za-z0-9_=-]{1,${REQUEST_ID_MAX_LENGTH}}$`);
const TRACEPARENT_SHAPE = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const ALL_ZERO = /^0+$/;

/** What the API's `traceContext()` middleware sets: the request's trace and its own span. */
export type TraceVariables = { traceId: string; spanId: string };

/** A caller's trace: the trace it belongs to, the caller's span, its flags (e.g. `01` sampled). */
export type TraceParent = { traceId: string; parentId: string; flags: string };

/** A request id a caller may choose: 1–64 letters, digits, `_`, `-` or `=`. */
export const isRequestId = (value: string | null | undefined): value is string =>
  typeof value === "string" && REQUEST_ID_SHAPE.test(value);

/**
 * A well-formed version-00 `traceparent`, or undefined for anything else: absent,
 * oversized, another version, upper-case hex, or an all-zero trace or span id.
 */
export function parseTraceparent(value: string | null | undefined): TraceParent | undefined {
  const match = value ? TRACEPARENT_SHAPE.exec(value) : null;
  if (!match) return undefined;
  const [, traceId = "", parentId = "", flags = ""] = match;
  if (ALL_ZERO.test(traceId) || ALL_ZERO.test(parentId)) return undefined;
  return { traceId, parentId, flags };
}

/** `00-<trace id>-<span id>-<flags>`. */
export const formatTraceparent = (traceId: string, spanId: string, flags: string) =>
  `00-${traceId}-${spanId}-${flags}`;

/** Flags of a trace a Worker starts itself: sampled, since every request is logged. */
export const NEW_TRACE_FLAGS = "01";

function randomHex(bytes: number): string {
  const random = crypto.getRandomValues(new Uint8Array(bytes));
  const hex = Array.from(random, (byte) => byte.toString(16).padStart(2, "0")).join("");
  // All zeros is the one invalid value (odds 2^-64 at worst): draw again.
  return ALL_ZERO.test(hex) ? randomHex(bytes) : hex;
}

/** A new random 16-byte trace id, as 32 lower-case hex digits. */
export const newTraceId = () => randomHex(16);
/** A new random 8-byte span id, as 16 lower-case hex digits. */
export const newSpanId = () => randomHex(8);
