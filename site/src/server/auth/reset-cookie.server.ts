import type { AstroCookies } from "astro";
import { RESET_LINK_MINUTES } from "../mail/reset-password-email.server.ts";

/**
 * A reset link's token leaves the URL at once: `GET /reset-password?token=…`
 * puts it in this cookie and answers 303 to `/reset-password`, so it never sits
 * in the address bar, the history, a Referer or a form's action. The cookie is
 * `HttpOnly; SameSite=Lax`, sent only to the reset page (`Path=/reset-password`,
 * which the `__Host-` prefix forbids, hence `Secure` on https without it), and
 * lives 15 minutes; the link itself stays usable for its 30 minutes, so following
 * it again starts afresh. Moving it spends nothing: mail scanners open links.
 */
export const RESET_COOKIE = "todo_reset";
export const RESET_PATH = "/reset-password";
const MAX_AGE_SECONDS = Math.min(15, RESET_LINK_MINUTES) * 60;

const options = (secure: boolean, maxAge: number) =>
  ({ httpOnly: true, sameSite: "lax", path: RESET_PATH, secure, maxAge }) as const;

/** Keeps the link's token in the cookie (the page then redirects to itself without it). */
export function keepResetToken(cookies: AstroCookies, token: string, secure: boolean): void {
  cookies.set(RESET_COOKIE, token, options(secure, MAX_AGE_SECONDS));
}

/** The token the cookie carries ("" when none). */
export function resetToken(cookies: AstroCookies): string {
  return cookies.get(RESET_COOKIE)?.value ?? "";
}

/** Expires the cookie (a used or dead link). */
export function dropResetToken(cookies: AstroCookies, secure: boolean): void {
  if (cookies.has(RESET_COOKIE)) cookies.set(RESET_COOKIE, "", options(secure, 0));
}
