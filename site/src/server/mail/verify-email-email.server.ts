import { linkEmail } from "./link-email.server.ts";
import type { Mail } from "./mail.server.ts";

/** Hours a verification link works; Better Auth's `emailVerification.expiresIn` is this in seconds. */
export const VERIFY_LINK_HOURS = 24;

const INTRO = "Someone signed up for Todo with this email address.";
const INSTRUCTION = `To confirm it is yours, open this link within ${VERIFY_LINK_HOURS} hours. It works once:`;
const OUTRO =
  "If you did not sign up, ignore this email: nothing happens until the link is opened and confirmed.";

/** The email with the link to `/verify-email?token=…`. */
export function verifyEmailEmail(origin: string, to: string, token: string): Mail {
  const link = `${origin}/verify-email?token=${encodeURIComponent(token)}`;
  return linkEmail({
    to,
    subject: "Confirm your email address for Todo",
    link,
    intro: INTRO,
    instruction: INSTRUCTION,
    outro: OUTRO,
  });
}
