/** What `/sign-in` says after a redirect, by the query parameter that names it. */
const NOTICES: Record<string, string> = {
  "signed-out-everywhere":
    "You are signed out everywhere, on this browser and every other. An API token already issued elsewhere stops working within 30 minutes at most.",
  "password-reset": "Your new password is set and every session was signed out. Sign in with it.",
};

/** The confirmation the sign-in page shows for this URL, if any. */
export function signInNotice(url: URL): string | undefined {
  for (const [param, message] of Object.entries(NOTICES)) {
    if (url.searchParams.has(param)) return message;
  }
  return undefined;
}
