import { errorSummary } from "@todo/worker/log";
import { ApiUnavailableError } from "./api/transport.server.ts";
import type { Trace } from "./trace.server.ts";

/** A code an error carries that is an identifier, not text (e.g. Better Auth's `USER_NOT_FOUND`). */
const CODE_SHAPE = /^[A-Za-z0-9_.:-]{1,64}$/;

function ownCode(error: unknown): string | undefined {
  if (error instanceof ApiUnavailableError) return error.fault;
  if (typeof error !== "object" || error === null) return undefined;
  const { code, body, status } = error as {
    code?: unknown;
    body?: { code?: unknown };
    status?: unknown;
  };
  for (const candidate of [body?.code, code, status]) {
    const text = typeof candidate === "number" ? String(candidate) : candidate;
    if (typeof text === "string" && CODE_SHAPE.test(text)) return text;
  }
  return undefined;
}

/**
 * The JSON line for an error: the request's ids, the error's class (and its root
 * cause's) and codes, never its message or stack, which may quote emails, SQL values
 * or links.
 */
export function errorLogLine(event: string, error: unknown, trace: Trace | undefined): string {
  const summary = errorSummary(error);
  const code = [ownCode(error), summary.code].filter(Boolean).join(" ");
  return JSON.stringify({
    event,
    ...(trace ? { requestId: trace.requestId, traceId: trace.traceId } : {}),
    ...summary,
    ...(code ? { code } : {}),
  });
}
