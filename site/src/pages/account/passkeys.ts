import type { APIRoute } from "astro";
import { removeOwnPasskey } from "../../server/auth/passkey-list.server.ts";
import { requestAuth } from "../../server/auth/request-auth.server.ts";
import { plainPage } from "../../server/http/plain-page.server.ts";
import { redirectWithCookies } from "../../server/http/redirect.server.ts";

/** Where removing a passkey lands: the account page, saying so. */
export const PASSKEY_REMOVED = "/account?passkey-removed";

/** Removes one passkey from the account page's list (POST only, a plain form). */
export const POST: APIRoute = async ({ request, locals }) => {
  const auth = requestAuth(locals);
  const signedIn = await auth.api.getSession({ headers: request.headers });
  if (!signedIn) return redirectWithCookies("/sign-in", []);
  const form = await request.formData().catch(() => new FormData());
  const id = form.get("passkey");
  if (typeof id !== "string" || id === "" || !(await removeOwnPasskey(auth, request.headers, id))) {
    return plainPage(
      400,
      "That passkey is not there",
      "It may have been removed already, or it is not one of yours. Go back to your account page to see your passkeys.",
    );
  }
  return redirectWithCookies(PASSKEY_REMOVED, []);
};
