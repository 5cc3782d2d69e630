import type { z } from "zod/mini";
import { BOOKMARK_HEADER } from "../db/bookmark.ts";
import { ErrorBody } from "../errors.ts";
import { MAX_BODY_BYTES } from "../middleware/body-size.ts";
import { IDEMPOTENCY_KEY_HEADER } from "../middleware/idempotency-key.ts";
import { responseSchema } from "./schemas.ts";

const plainString = { schema: { type: "string" } } as const;

/** Response headers, defined once under `components.headers`. */
export const HEADERS = {
  Location: { description: "Where the new todo lives: `/api/todos/<id>`.", ...plainString },
  "WWW-Authenticate": {
    description:
      'RFC 6750 challenge: `Bearer realm="todo-api"`, plus `, error="invalid_token"` when a token was presented.',
    ...plainString,
  },
  [BOOKMARK_HEADER]: {
    description:
      "The D1 session's latest bookmark after this request's queries. Send it back as the `x-d1-bookmark` request header to read your own writes, even from a read replica.",
    ...plainString,
  },
  "Server-Timing": {
    description:
      "One `d1;dur=<ms>` entry per D1 round trip this request made, and `total;dur=<ms>`.",
    ...plainString,
  },
  "Content-Disposition": {
    description:
      '`attachment; filename="todos-<date>.<json|csv>"`: a browser saves the answer as a file.',
    ...plainString,
  },
  "Retry-After": {
    description: "Seconds to wait before sending the request again.",
    ...plainString,
  },
} as const;
type HeaderName = keyof typeof HEADERS;

/** References to header components, for a response's `headers`. */
export const headers = (...names: HeaderName[]) =>
  Object.fromEntries(names.map((name) => [name, { $ref: `#/components/headers/${name}` }]));

/** The headers of an answer whose request ran D1 queries. */
export const D1_ANSWER_HEADERS = [BOOKMARK_HEADER, "Server-Timing"] as const;

/** The request headers every D1-backed operation reads. */
export const bookmarkParameter = {
  in: "header",
  name: BOOKMARK_HEADER,
  required: false,
  description:
    "A bookmark from an earlier answer: the request's D1 session starts there, so it sees that answer's writes. A malformed, oversized (over 128 characters) or refused bookmark is ignored and the session starts at the primary.",
  schema: { type: "string", maxLength: 128 },
} as const;

export const idempotencyKeyParameter = {
  in: "header",
  name: IDEMPOTENCY_KEY_HEADER,
  required: false,
  description:
    "1–64 visible ASCII characters. The same key from the same caller within 24 hours answers the first request's result and creates nothing; the same key with another body is a 422.",
  schema: { type: "string", minLength: 1, maxLength: 64, pattern: "^[\\x21-\\x7e]+$" },
} as const;

/** A JSON response whose body is `schema`. */
export const json = (description: string, schema: z.core.$ZodType) => ({
  description,
  content: { "application/json": { schema: responseSchema(schema) } },
});

const error = (description: string, headerNames: HeaderName[] = []) => ({
  ...json(description, ErrorBody),
  ...(headerNames.length > 0 ? { headers: headers(...headerNames) } : {}),
});

/** Every error status an operation may answer, defined once under `components.responses`. */
export const ERROR_RESPONSES = {
  400: {
    name: "BadRequest",
    response: error(
      "`invalid_json`: the body is not JSON. `validation_error`: the body or query breaks the schema; `fields` maps each bad field (or `body`) to a message.",
    ),
  },
  401: {
    name: "Unauthorized",
    response: error(
      "`unauthorized`: the bearer token is missing or breaks a token rule. The body is the same whatever the reason.",
      ["WWW-Authenticate"],
    ),
  },
  404: {
    name: "NotFound",
    response: error("`not_found`: no such todo for the caller (also when another user owns it)."),
  },
  413: {
    name: "PayloadTooLarge",
    response: error(`\`payload_too_large\`: the body is over ${MAX_BODY_BYTES / 1024} KiB.`),
  },
  415: {
    name: "UnsupportedMediaType",
    response: error("`unsupported_media_type`: the body is not sent as `application/json`."),
  },
  422: {
    name: "IdempotencyKeyReused",
    response: error(
      "`idempotency_key_reused`: this `Idempotency-Key` was used within 24 hours with another body.",
    ),
  },
  500: {
    name: "InternalError",
    response: error(
      "`misconfigured`: the API has no usable `JWT_SECRET`, so it accepts no token. `internal`: an unexpected failure, logged with the request id; no details are sent.",
    ),
  },
  503: {
    name: "Unavailable",
    response: error(
      "`unavailable`: D1 kept failing with an error it documents as transient, after bounded retries. Nothing was acknowledged; send the request again after `Retry-After`.",
      ["Retry-After"],
    ),
  },
} as const;
type ErrorStatus = keyof typeof ERROR_RESPONSES;

/** References to error responses, for an operation's `responses`: `...errors(401, 404)`. */
export const errors = (...statuses: ErrorStatus[]) =>
  Object.fromEntries(
    statuses.map((status) => [
      status,
      { $ref: `#/components/responses/${ERROR_RESPONSES[status].name}` },
    ]),
  );

/** The `components.responses` the references above point to. */
export const errorComponents = () =>
  Object.fromEntries(Object.values(ERROR_RESPONSES).map(({ name, response }) => [name, response]));
