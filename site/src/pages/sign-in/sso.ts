import type { APIRoute } from "astro";
import { OIDC_PROVIDER_ID } from "../../server/auth/oidc-config.server.ts";
import { requestAuth } from "../../server/auth/request-auth.server.ts";
import { SSO_FAILED } from "../../server/forms/sso-notices.server.ts";
import { redirectWithCookies } from "../../server/http/redirect.server.ts";

/**
 * **Sign in with <name>** (POST, a plain form): Better Auth makes the state and the
 * PKCE verifier and answers the provider's authorization URL, which this sends the
 * browser to (303) with Better Auth's cookies. The provider comes back to
 * `/api/auth/callback/oidc` (a GET), which signs in and goes on to `/todos`.
 */
export const POST: APIRoute = async ({ request, locals }) => {
  if (!locals.config.oidc) return new Response("Not Found", { status: 404 });
  const { headers, response } = await requestAuth(locals).api.signInSocial({
    body: { provider: OIDC_PROVIDER_ID, callbackURL: "/todos", errorCallbackURL: SSO_FAILED },
    headers: request.headers,
    returnHeaders: true,
  });
  if (!response?.url) return redirectWithCookies(SSO_FAILED, []);
  return redirectWithCookies(response.url, headers.getSetCookie());
};
