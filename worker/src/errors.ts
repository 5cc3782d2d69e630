import type { Context } from "hono";
import type { RequestIdVariables } from "hono/request-id";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import * as z from "zod/mini";
import { errorSummary, logEvent } from "./log.ts";

/** Every error code the API answers with, and its HTTP status. */
export const ERROR_STATUS = {
  invalid_json: 400,
  validation_error: 400,
  unauthorized: 401,
  not_found: 404,
  method_not_allowed: 405,
  payload_too_large: 413,
  unsupported_media_type: 415,
  idempotency_key_reused: 422,
  internal: 500,
  misconfigured: 500,
  unavailable: 503,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ErrorCode = keyof typeof ERROR_STATUS;
export type FieldErrors = Record<string, string>;

/** The body of every error response: `{"error":{"code","message","fields"?}}`. */
export const ErrorBody = z.object({
  error: z.object({
    code: z.enum(Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]]),
    message: z.string(),
    /** field → message, for `validation_error` */
    fields: z.optional(z.record(z.string(), z.string())),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/** An error the client caused (or may see): rendered as the error body by {@link onError}. */
export class ApiError extends Error {
  override name = "ApiError";
  readonly status: ContentfulStatusCode;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly options: { fields?: FieldErrors; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.status = ERROR_STATUS[code];
  }
}

export const notFound = () => new ApiError("not_found", "Not found");

export function errorResponse(c: Context, error: ApiError): Response {
  const body: ErrorBody = { error: { code: error.code, message: error.message } };
  if (error.options.fields) body.error.fields = error.options.fields;
  return c.json(body, error.status, error.options.headers);
}

/** `error` or the first of its causes that `matches` (drizzle wraps D1's errors in its own). */
export function findCause<T>(
  error: unknown,
  matches: (cause: unknown) => cause is T,
): T | undefined {
  for (let cause = error; cause !== undefined; cause = (cause as Error).cause) {
    if (matches(cause)) return cause;
    if (!(cause instanceof Error)) return undefined;
  }
  return undefined;
}

const isApiError = (error: unknown): error is ApiError => error instanceof ApiError;

/** The one error handler: known errors keep their code, anything else is a logged 500 without details. */
export function onError<E extends { Variables: RequestIdVariables & { traceId?: string } }>(
  error: Error,
  c: Context<E>,
): Response {
  const ids = { requestId: c.var.requestId, traceId: c.var.traceId };
  const apiError = findCause(error, isApiError);
  if (apiError?.code === "unavailable") {
    logEvent("error", { ...ids, ...errorSummary(apiError.cause) }, "error");
  }
  if (apiError) return errorResponse(c, apiError);
  logEvent("error", { ...ids, ...errorSummary(error) }, "error");
  return errorResponse(c, new ApiError("internal", "Something went wrong"));
}
