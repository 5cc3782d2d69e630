import { escapeHtml } from "../http/plain-page.server.ts";
import type { Mail } from "./mail.server.ts";

/** Hours a verification link works; Better Auth's `emailVerification.expiresIn` is this in seconds. */
export const VERIFY_LINK_HOURS = 24;

const INTRO = "Someone signed up for Todo with this email address.";
const INSTRUCTION = `To confirm it is yours, open this link within ${VERIFY_LINK_HOURS} hours. It works once:`;
const OUTRO =
  "If you did not sign up, ignore this email: nothing happens until the link is opened and confirmed.";

/**
 * The email with the link to `/verify-email?token=…`: plain text and the same
 * words as simple HTML, with no images, tracking pixels or rewritten links.
 */
export function verifyEmailEmail(origin: string, to: string, token: string): Mail {
  const link = `${origin}/verify-email?token=${encodeURIComponent(token)}`;
  const paragraph = (text: string) => `<p>${escapeHtml(text)}</p>`;
  return {
    to,
    subject: "Confirm your email address for Todo",
    text: `${[INTRO, INSTRUCTION, link, OUTRO].join("\n\n")}\n`,
    html: [
      paragraph(INTRO),
      paragraph(INSTRUCTION),
      `<p><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p>`,
      paragraph(OUTRO),
    ].join("\n"),
    link,
  };
}
