import { env } from "cloudflare:workers";
import type { APIRoute } from "astro";
import {
  type AuthAttempt,
  limitAuthAttempt,
  rateLimitRefusal,
} from "../../../server/auth/rate-limit.server.ts";
import { requestAuth } from "../../../server/auth/request-auth.server.ts";

/** The Better Auth endpoints that take a password guess or create an account. */
const LIMITED: Record<string, AuthAttempt> = {
  "/api/auth/sign-in/email": "sign-in",
  "/api/auth/sign-up/email": "sign-up",
  // These ask for the password like sign-in, so they share sign-in's bucket.
  "/api/auth/delete-user": "sign-in",
  "/api/auth/change-password": "sign-in",
  "/api/auth/verify-password": "sign-in",
  // A passkey sign-in shares sign-in's per-address bucket too (decision 125).
  "/api/auth/passkey/verify-authentication": "sign-in",
};

/**
 * Better Auth, mounted at /api/auth/*. Every endpoint that takes a password
 * guess or creates an account shares the per-IP limit with the page forms; the middleware has already
 * checked the Origin.
 */
export const ALL: APIRoute = async ({ request, url, locals }) => {
  const attempt = request.method === "POST" ? LIMITED[url.pathname] : undefined;
  if (attempt) {
    const limited = await limitAuthAttempt(env.AUTH_DB, attempt, request, locals.config.rateLimit);
    if (!limited.allowed) {
      const seconds = limited.retryAfterSeconds;
      return Response.json(
        {
          code: "TOO_MANY_REQUESTS",
          message: `Too many attempts. Try again in ${seconds} seconds.`,
        },
        rateLimitRefusal(seconds),
      );
    }
  }
  return requestAuth(locals).handler(request);
};
