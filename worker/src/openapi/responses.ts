import type { z } from "zod/mini";
import { ErrorBody } from "../errors.ts";
import { MAX_BODY_BYTES } from "../middleware/body-size.ts";
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
} as const;
type HeaderName = keyof typeof HEADERS;

/** References to header components, for a response's `headers`. */
export const headers = (...names: HeaderName[]) =>
  Object.fromEntries(names.map((name) => [name, { $ref: `#/components/headers/${name}` }]));

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
  500: {
    name: "InternalError",
    response: error(
      "`misconfigured`: the API has no usable `JWT_SECRET`, so it accepts no token. `internal`: an unexpected failure, logged with the request id; no details are sent.",
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
