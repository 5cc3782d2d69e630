/** Where a single sign-on that did not sign in lands; Better Auth adds `&error=<code>`. */
export const SSO_FAILED = "/sign-in?sso-failed";

/** What /sign-in says after a single sign-on that did not sign in (`?sso-failed&error=…`). */
export const SSO_MESSAGES = {
  accountNotLinked:
    "An account already uses that email address. Sign in with your password. Single sign-on joins an existing account only when the provider has verified the address and you confirmed it here.",
  failed: "Single sign-on did not work, so you are not signed in. Please try again.",
} as const;

export function ssoMessage(url: URL): string | undefined {
  if (!url.searchParams.has("sso-failed") && !url.searchParams.has("error")) return undefined;
  const error = url.searchParams.get("error") ?? "";
  return error === "account_not_linked" ? SSO_MESSAGES.accountNotLinked : SSO_MESSAGES.failed;
}
