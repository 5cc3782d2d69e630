/**
 * Content Security Policy for every page: scripts and styles only from this
 * origin as files (no `'unsafe-inline'`), no framing, forms only to this site and
 * to `formTargets`. Browsers apply `form-action` to a form's redirects too, so the
 * single sign-on form, which this site answers with a redirect to the identity
 * provider, needs the provider's origin there.
 */
export const contentSecurityPolicy = (formTargets: readonly string[] = []) =>
  [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    ["form-action 'self'", ...formTargets].join(" "),
    "frame-ancestors 'none'",
  ].join("; ");

/** Two years, the preload list's minimum. */
const HSTS = "max-age=63072000; includeSubDomains";

/**
 * Sets the security headers on a response (in place; also returns it).
 * HSTS is only sent over https, where browsers honour it.
 */
export function withSecurityHeaders(
  response: Response,
  https: boolean,
  formTargets: readonly string[] = [],
): Response {
  const headers = response.headers;
  headers.set("Content-Security-Policy", contentSecurityPolicy(formTargets));
  headers.set("X-Content-Type-Options", "nosniff");
  // A page may ask for less (the reset page: no-referrer).
  if (!headers.has("Referrer-Policy")) {
    headers.set("Referrer-Policy", "strict-origin-when-cross-origin");
  }
  headers.set("X-Frame-Options", "DENY");
  headers.set("Cross-Origin-Opener-Policy", "same-origin");
  headers.set("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
  if (https) headers.set("Strict-Transport-Security", HSTS);
  // Pages show one person's data: never cache them anywhere.
  if (!headers.has("Cache-Control")) headers.set("Cache-Control", "no-store");
  return response;
}
