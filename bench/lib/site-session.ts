/** A browser's cookies for the site, as one `Cookie` header. */
export function cookieHeader(jar: Map<string, string>): string {
  return [...jar].map(([name, value]) => `${name}=${value}`).join("; ");
}

export function keepCookies(jar: Map<string, string>, response: Response): void {
  for (const cookie of response.headers.getSetCookie()) {
    const [pair = ""] = cookie.split(";");
    const at = pair.indexOf("=");
    if (at > 0) jar.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
  }
}

/**
 * Signs a new person up through the site's own Better Auth endpoint, then opens /todos
 * once so the site mints the API token cookie. Returns the cookies a signed-in browser
 * sends and the user's id (the token's `sub`), for seeding their todos.
 */
export async function signUpOnSite(siteUrl: string): Promise<{ cookie: string; userId: string }> {
  const jar = new Map<string, string>();
  const signUp = await fetch(`${siteUrl}/api/auth/sign-up/email`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: siteUrl },
    body: JSON.stringify({
      name: "Bench User",
      email: `bench-${Date.now()}@example.com`,
      password: "bench-password-long-enough",
    }),
    redirect: "manual",
  });
  const body = (await signUp.json()) as { user?: { id?: string } };
  if (!signUp.ok || !body.user?.id) {
    throw new Error(`sign-up on the site answered ${signUp.status}: ${JSON.stringify(body)}`);
  }
  keepCookies(jar, signUp);
  const todos = await fetch(`${siteUrl}/todos`, {
    headers: { Cookie: cookieHeader(jar) },
    redirect: "manual",
  });
  await todos.arrayBuffer();
  keepCookies(jar, todos);
  if (todos.status !== 200) throw new Error(`/todos answered ${todos.status} after sign-up`);
  return { cookie: cookieHeader(jar), userId: body.user.id };
}
