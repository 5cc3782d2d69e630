import { plainPage } from "./plain-page.server.ts";

/** The largest request body the site accepts, in bytes (64 KiB). */
export const BODY_LIMIT_BYTES = 64 * 1024;

/** Reading a body stopped at the limit: the request gets a 413. */
export class BodyTooLargeError extends Error {
  override name = "BodyTooLargeError";
}

/** True when `Content-Length` promises more than {@link BODY_LIMIT_BYTES}; undefined when it says nothing usable. */
export function declaredTooLarge(request: Request): boolean | undefined {
  const header = request.headers.get("content-length");
  const length = header === null || header.trim() === "" ? Number.NaN : Number(header);
  return Number.isSafeInteger(length) && length >= 0 ? length > BODY_LIMIT_BYTES : undefined;
}

/**
 * `body` passed through a byte count: past {@link BODY_LIMIT_BYTES} the stream
 * fails with {@link BodyTooLargeError} and the rest is never read.
 */
export function countedBody(body: ReadableStream<Uint8Array>): {
  body: ReadableStream<Uint8Array>;
  exceeded: () => boolean;
} {
  const reader = body.getReader();
  let read = 0;
  let exceeded = false;
  const counted = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) return controller.close();
      read += value.byteLength;
      if (read <= BODY_LIMIT_BYTES) return controller.enqueue(value);
      exceeded = true;
      controller.error(new BodyTooLargeError(`The body is over ${BODY_LIMIT_BYTES} bytes`));
      await reader.cancel().catch(() => undefined);
    },
    cancel: (reason) => reader.cancel(reason),
  });
  return { body: counted, exceeded: () => exceeded };
}

/** The 413: JSON for Better Auth's endpoints (as its own errors), a plain page elsewhere. */
export function tooLargeResponse(url: URL): Response {
  const message = `The request was too large: at most ${BODY_LIMIT_BYTES / 1024} KiB are accepted. Nothing was saved.`;
  if (url.pathname.startsWith("/api/auth/")) {
    return Response.json({ code: "PAYLOAD_TOO_LARGE", message }, { status: 413 });
  }
  return plainPage(413, "That was too large", message);
}
