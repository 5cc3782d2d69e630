import { defineMiddleware } from "astro:middleware";
import { withSecurityHeaders } from "../server/http/security-headers.server.ts";

/**
 * Every answer, error pages included, gets the security headers. With single sign-on
 * configured, forms may also go to the identity provider's origin (the issuer's, where
 * its authorization endpoint lives): the sign-on form's redirect goes there.
 */
export const securityHeaders = defineMiddleware(async (context, next) => {
  const response = await next();
  const oidc = context.locals.config?.oidc;
  // A copy: some responses (redirects) have immutable headers.
  return withSecurityHeaders(
    new Response(response.body, response),
    context.url.protocol === "https:",
    oidc ? [new URL(oidc.issuer).origin] : [],
  );
});
