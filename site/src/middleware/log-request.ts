import { defineMiddleware } from "astro:middleware";

/** One JSON log line per request, with the final status and how long it took. */
export const logRequest = defineMiddleware(async (context, next) => {
  const started = Date.now();
  const response = await next();
  console.log(
    JSON.stringify({
      event: "request",
      requestId: context.request.headers.get("cf-ray") ?? crypto.randomUUID(),
      method: context.request.method,
      route: context.routePattern,
      status: response.status,
      durationMs: Date.now() - started,
    }),
  );
  return response;
});
