/**
 * A 303 to `location` that carries `Set-Cookie` values, for the answers to a
 * form POST (sign-in, sign-up, sign-out, account deletion, an ended session).
 */
export function redirectWithCookies(location: string, cookies: readonly string[]): Response {
  const response = new Response(null, { status: 303, headers: { Location: location } });
  for (const cookie of cookies) response.headers.append("Set-Cookie", cookie);
  return response;
}
