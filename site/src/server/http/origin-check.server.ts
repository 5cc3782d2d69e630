const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Content types a cross-site page can send without a CORS preflight. */
const SIMPLE_CONTENT_TYPES = [
  "application/x-www-form-urlencoded",
  "multipart/form-data",
  "text/plain",
];

/**
 * CSRF defence for every state-changing request (POST, PUT, PATCH, DELETE).
 *
 * - With an `Origin` header, it must be this site's origin; `Origin: null` passes only
 *   with `Sec-Fetch-Site: same-origin`.
 * - Without one, Fetch Metadata must not say cross-site, and the body must not
 *   be of a type a cross-site form could send. (A cross-site `fetch` with JSON
 *   needs a preflight, which this site never grants.)
 *
 * Browsers send `Origin` on every form POST, so a real form always passes.
 *
 * @returns true when the request must be refused
 */
export function isCrossSiteRequest(request: Request, siteOrigin: string): boolean {
  if (SAFE_METHODS.has(request.method)) return false;
  const origin = request.headers.get("origin");
  // A page with `Referrer-Policy: no-referrer` (the reset page) makes the browser send
  // `Origin: null` on its own form posts; then only Fetch Metadata saying same-origin,
  // which no other site can forge, lets it through.
  if (origin === "null") return request.headers.get("sec-fetch-site") !== "same-origin";
  if (origin !== null) return origin !== siteOrigin;
  const site = request.headers.get("sec-fetch-site");
  if (site !== null && site !== "same-origin" && site !== "none") return true;
  const type = request.headers.get("content-type")?.toLowerCase();
  return type === undefined || SIMPLE_CONTENT_TYPES.some((simple) => type.includes(simple));
}
