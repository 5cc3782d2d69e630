/** One email: plain text plus simple HTML, no tracking. `link` is the one link it carries. */
export type Mail = { to: string; subject: string; text: string; html: string; link: string };

/** Sends one email, or throws an error that names neither the body nor the link. */
export type Mailer = { send: (mail: Mail) => Promise<void> };

/** A mail that could not be sent. Its message says why in general terms only. */
export class MailError extends Error {
  override name = "MailError";
}
