import { env } from "cloudflare:workers";
import type { APIRoute } from "astro";
import { createAuth } from "../server/auth/better-auth.server.ts";
import { endSession } from "../server/auth/session.server.ts";

/** Sign out (POST only): revoke the session, clear the session and token cookies. */
export const POST: APIRoute = async ({ request, locals }) => {
  const cookies = await endSession(createAuth(env, locals.config), request);
  const response = new Response(null, { status: 303, headers: { Location: "/sign-in" } });
  for (const cookie of cookies) response.headers.append("Set-Cookie", cookie);
  return response;
};
