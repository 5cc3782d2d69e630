import { escapeHtml } from "../http/plain-page.server.ts";
import type { Mail } from "./mail.server.ts";

/** Minutes a reset link works; Better Auth's `resetPasswordTokenExpiresIn` is this in seconds. */
export const RESET_LINK_MINUTES = 30;

const INTRO = "Someone asked to set a new password for the Todo account with this email address.";
const INSTRUCTION = `To choose a new password, open this link within ${RESET_LINK_MINUTES} minutes. It works once:`;
const OUTRO =
  "Setting a new password signs you out everywhere. If you did not ask for this, ignore this email: your password stays as it is.";

/**
 * The email with the link to `/reset-password?token=…`: plain text and the
 * same words as simple HTML, with no images, tracking pixels or rewritten links.
 */
export function resetPasswordEmail(origin: string, to: string, token: string): Mail {
  const link = `${origin}/reset-password?token=${encodeURIComponent(token)}`;
  const paragraph = (text: string) => `<p>${escapeHtml(text)}</p>`;
  return {
    to,
    subject: "Set a new password for your Todo account",
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
