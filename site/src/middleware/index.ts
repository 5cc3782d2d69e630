import { sequence } from "astro:middleware";
import { drainRequestBody } from "./drain-request-body.ts";
import { errorPage } from "./error-page.ts";
import { limitRequestBody } from "./limit-request-body.ts";
import { loadSession } from "./load-session.ts";
import { logRequest } from "./log-request.ts";
import { readConfig } from "./read-config.ts";
import { redirectBySignIn } from "./redirect-by-sign-in.ts";
import { refuseCrossSite } from "./refuse-cross-site.ts";
import { requestContext } from "./request-context.ts";
import { securityHeaders } from "./security-headers.ts";

/** The steps every request meets, in order; each answer passes back out through them. */
export const onRequest = sequence(
  logRequest,
  requestContext,
  securityHeaders,
  limitRequestBody,
  drainRequestBody,
  errorPage,
  refuseCrossSite,
  readConfig,
  loadSession,
  redirectBySignIn,
);
