import { defineMiddleware } from "astro:middleware";
import { withSecurityHeaders } from "../server/http/security-headers.server.ts";

/** Every answer, error pages included, gets the security headers. */
export const securityHeaders = defineMiddleware(async (context, next) => {
  const response = await next();
  // A copy: some responses (redirects) have immutable headers.
  return withSecurityHeaders(
    new Response(response.body, response),
    context.url.protocol === "https:",
  );
});
