const cookieName = (setCookie: string) => setCookie.slice(0, setCookie.indexOf("="));

/**
 * Adds the `Set-Cookie` values Better Auth produced while reading the session
 * (a refreshed expiry) to the answer. A cookie the page set itself (account
 * deletion expires the session's) wins over a refresh.
 */
export function withRefreshedCookies(response: Response, setCookies: readonly string[]): Response {
  if (setCookies.length === 0) return response;
  const own = new Set(response.headers.getSetCookie().map(cookieName));
  const withCookies = new Response(response.body, response);
  for (const cookie of setCookies) {
    if (!own.has(cookieName(cookie))) withCookies.headers.append("Set-Cookie", cookie);
  }
  return withCookies;
}
