import { MailError, type Mailer } from "./mail.server.ts";

/**
 * Sends through an HTTP email API in Resend's shape: `POST` JSON
 * `{from, to, subject, text, html}` with `Authorization: Bearer <key>`.
 * Open and click tracking are off by default there, and nothing here adds any.
 */
export function httpMailer(options: { apiUrl: string; apiKey: string; from: string }): Mailer {
  return {
    async send({ to, subject, text, html }) {
      const response = await fetch(options.apiUrl, {
        method: "POST",
        headers: {
          authorization: `Bearer ${options.apiKey}`,
          "content-type": "application/json",
        },
        body: JSON.stringify({ from: options.from, to: [to], subject, text, html }),
      });
      // Drain the body: it may echo the message, so it is never logged.
      await response.body?.cancel();
      if (!response.ok) throw new MailError(`The email API answered ${response.status}`);
    },
  };
}
