import type { Auth } from "../auth/better-auth.server.ts";
import { redirectWithCookies } from "../http/redirect.server.ts";

/** Where the person lands after signing out everywhere: sign-in, saying what happened. */
export const SIGNED_OUT_EVERYWHERE = "/sign-in?signed-out-everywhere";

/**
 * Handles the Sign out everywhere form: Better Auth deletes every session of
 * the person, this one included, and expires its cookies; the hook in
 * better-auth.server.ts clears the token cookie. API tokens already issued to
 * other browsers are stateless and run out on their own (30 minutes at most).
 */
export async function signOutEverywhere(auth: Auth, request: Request): Promise<Response> {
  const { headers } = await auth.api.revokeSessions({
    headers: request.headers,
    returnHeaders: true,
  });
  return redirectWithCookies(SIGNED_OUT_EVERYWHERE, headers.getSetCookie());
}
