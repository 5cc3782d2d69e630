import type { MiddlewareHandler } from "hono";
import { ApiError } from "../errors.ts";

const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/i;

/**
 * Requires a JSON content type (else 415) and a body that parses as JSON (else 400 `invalid_json`).
 * The parsed body is cached by Hono, so the validator after it does not parse twice.
 */
export function jsonBody(): MiddlewareHandler {
  return async function jsonBody(c, next) {
    const mediaType = c.req.header("Content-Type")?.split(";")[0]?.trim() ?? "";
    if (!JSON_MEDIA_TYPE.test(mediaType)) {
      throw new ApiError("unsupported_media_type", "Send the body as application/json");
    }
    try {
      await c.req.json();
    } catch {
      throw new ApiError("invalid_json", "The request body is not valid JSON");
    }
    await next();
  };
}
