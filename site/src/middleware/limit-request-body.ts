import { defineMiddleware } from "astro:middleware";
import {
  countedBody,
  declaredTooLarge,
  tooLargeResponse,
} from "../server/http/body-limit.server.ts";

/**
 * A body over 64 KiB gets a 413 before it is read, on every route. A declared
 * `Content-Length` is checked at once; a body without one (chunked) is handed
 * on behind a byte count, so reading it stops at the limit and the answer,
 * whatever the page made of the failed read, becomes the 413.
 */
export const limitRequestBody = defineMiddleware(async ({ request, url }, next) => {
  if (!request.body) return next();
  const tooLarge = declaredTooLarge(request);
  if (tooLarge !== undefined) return tooLarge ? tooLargeResponse(url) : next();
  const counted = countedBody(request.body);
  // Same URL, same route: only the body is replaced by the counted one.
  const response = await next(new Request(request, { body: counted.body }));
  return counted.exceeded() ? tooLargeResponse(url) : response;
});
