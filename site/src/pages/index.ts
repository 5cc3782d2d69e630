import type { APIRoute } from "astro";

/** `/` goes to the todos when signed in, else to sign in (the middleware read the session). */
export const GET: APIRoute = ({ locals, redirect }) =>
  redirect(locals.user ? "/todos" : "/sign-in", 302);
