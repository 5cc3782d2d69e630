import type { APIRoute } from "astro";
import { requestAuth } from "../../server/auth/request-auth.server.ts";
import { endSession } from "../../server/auth/session.server.ts";
import { endOwnSession } from "../../server/auth/session-list.server.ts";
import { plainPage } from "../../server/http/plain-page.server.ts";
import { redirectWithCookies } from "../../server/http/redirect.server.ts";

/** Where ending another session lands: the account page, saying so. */
export const SESSION_ENDED = "/account?session-ended";

/**
 * Sign out one session from the account page's list (POST only, a plain form): the
 * session is deleted, so that browser is signed out on its next page view. This
 * browser's own session ends as Sign out ends it.
 */
export const POST: APIRoute = async ({ request, locals }) => {
  const auth = requestAuth(locals);
  const signedIn = await auth.api.getSession({ headers: request.headers });
  if (!signedIn) return redirectWithCookies("/sign-in", []);
  const form = await request.formData().catch(() => new FormData());
  const id = form.get("session");
  if (typeof id !== "string" || id === "") return notYours();
  if (id === signedIn.session.id) {
    return redirectWithCookies("/sign-in", await endSession(auth, request));
  }
  if (!(await endOwnSession(auth, signedIn.user.id, id))) return notYours();
  return redirectWithCookies(SESSION_ENDED, []);
};

const notYours = () =>
  plainPage(
    400,
    "That session is not there",
    "It may have ended already, or it is not one of yours. Go back to your account page to see the sessions that are still signed in.",
  );
