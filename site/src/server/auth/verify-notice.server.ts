import type { AstroCookies } from "astro";
import { noticeDismissedCookie } from "./verification-cookies.server.ts";

/**
 * What the "confirm your email" notice on /todos shows, or undefined when it has no
 * place: the address is confirmed, this site cannot send email, or the person
 * dismissed it in this browser (a link just sent shows it again).
 */
export function verifyNotice(
  locals: App.Locals,
  cookies: AstroCookies,
  url: URL,
): { email: string; sent: boolean } | undefined {
  const { user, config } = locals;
  if (!user || user.emailVerified || config.mail.kind === "none") return undefined;
  const sent = url.searchParams.has("verification-sent");
  const dismissed = cookies.get(noticeDismissedCookie(config.secure).name)?.value === "dismissed";
  return dismissed && !sent ? undefined : { email: user.email, sent };
}
