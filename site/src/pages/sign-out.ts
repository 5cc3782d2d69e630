import type { APIRoute } from "astro";
import { requestAuth } from "../server/auth/request-auth.server.ts";
import { endSession } from "../server/auth/session.server.ts";
import { redirectWithCookies } from "../server/http/redirect.server.ts";

/** Sign out (POST only): revoke the session, clear the session and token cookies. */
export const POST: APIRoute = async ({ request, locals }) =>
  redirectWithCookies("/sign-in", await endSession(requestAuth(locals), request));
