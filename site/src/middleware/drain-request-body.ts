import { defineMiddleware } from "astro:middleware";

/**
 * Under `astro dev` only: reads to the end a request body nobody read (a
 * refused or redirected POST). Answering before the upload is complete makes
 * the dev server's proxy drop the connection now and then ("fetch failed").
 * Deployed, an unread body is left unread. The body here is the counted one
 * (limit-request-body.ts), so even this read stops at 64 KiB.
 */
export const drainRequestBody = defineMiddleware(async (context, next) => {
  const response = await next();
  if (!import.meta.env.DEV) return response;
  const { request } = context;
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
