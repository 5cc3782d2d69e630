import { defineMiddleware } from "astro:middleware";

/**
 * Reads to the end a request body nobody read (a refused or redirected POST).
 * Answering before the upload is complete makes the dev server's proxy drop
 * the connection now and then ("fetch failed"); reading costs little.
 */
export const drainRequestBody = defineMiddleware(async ({ request }, next) => {
  const response = await next();
  if (!request.body || request.bodyUsed) return response;
  try {
    const reader = request.body.getReader();
    while (!(await reader.read()).done) {
      // discard
    }
  } catch {
    // the client went away: nothing to do
  }
  return response;
});
