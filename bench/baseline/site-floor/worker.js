/**
 * The platform's floor for the site's pages: a bare Worker served as the site is (its
 * static assets in front of it, its auth D1 bound), doing only the platform's part of
 * a page, with none of the site's code (no Astro, Better Auth, middleware or rendering):
 * - GET /todos: one D1 read of the session by its token, joined with its user, on a D1
 *   session as the site opens one; in parallel, one call to the API's list with the
 *   person's token; then a body of the site's page's size (TODOS_BODY);
 * - any other path: a body of /sign-in's size (SIGN_IN_BODY), reading nothing.
 */
const SESSION = `select "session"."id", "session"."expiresAt", "session"."userId", "user"."name", "user"."email" from "session" inner join "user" on "user"."id" = "session"."userId" where "session"."token" = ? limit 1`;
const headers = { "Content-Type": "text/html", "Cache-Control": "no-store" };

function cookies(request) {
  const jar = new Map();
  for (const pair of (request.headers.get("Cookie") ?? "").split(";")) {
    const at = pair.indexOf("=");
    if (at > 0) jar.set(pair.slice(0, at).trim(), decodeURIComponent(pair.slice(at + 1).trim()));
  }
  return jar;
}

export default {
  async fetch(request, env) {
    if (new URL(request.url).pathname !== "/todos") {
      return new Response(env.SIGN_IN_BODY, { headers });
    }
    const jar = cookies(request);
    const [sessionToken] = (jar.get("better-auth.session_token") ?? "").split(".");
    const [session, list] = await Promise.all([
      env.AUTH_DB.withSession("first-unconstrained").prepare(SESSION).bind(sessionToken).first(),
      fetch(`${env.API_URL}/api/todos`, {
        headers: { Authorization: `Bearer ${jar.get("todo_token")}` },
      }),
    ]);
    await list.arrayBuffer();
    if (session === null || !list.ok) return new Response(null, { status: 500 });
    return new Response(env.TODOS_BODY, { headers });
  },
};
