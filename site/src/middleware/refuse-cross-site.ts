import { defineMiddleware } from "astro:middleware";
import { isCrossSiteRequest } from "../server/http/origin-check.server.ts";
import { plainPage } from "../server/http/plain-page.server.ts";

/** CSRF: a state-changing request from another site is refused before anything else runs. */
export const refuseCrossSite = defineMiddleware(({ request, url }, next) => {
  if (!isCrossSiteRequest(request, url.origin)) return next();
  return plainPage(
    403,
    "This form came from another site",
    "For your safety, forms are only accepted from this site's own pages. Go back, reload the page and try again.",
  );
});
