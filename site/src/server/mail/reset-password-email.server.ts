import { linkEmail } from "./link-email.server.ts";
import type { Mail } from "./mail.server.ts";

/** Minutes a reset link works; Better Auth's `resetPasswordTokenExpiresIn` is this in seconds. */
export const RESET_LINK_MINUTES = 30;

const INTRO = "Someone asked to set a new password for the Todo account with this email address.";
const INSTRUCTION = `To choose a new password, open this link within ${RESET_LINK_MINUTES} minutes. It works once:`;
const OUTRO =
  "Setting a new password signs you out everywhere. If you did not ask for this, ignore this email: your password stays as it is.";

/** The email with the link to `/reset-password?token=…`. */
export function resetPasswordEmail(origin: string, to: string, token: string): Mail {
  const link = `${origin}/reset-password?token=${encodeURIComponent(token)}`;
  return linkEmail({
    to,
    subject: "Set a new password for your Todo account",
    link,
    intro: INTRO,
    instruction: INSTRUCTION,
    outro: OUTRO,
  });
}
