import * as z from "zod";
import { isLoopbackHost } from "../loopback.server.ts";

/** The HTTP email API the deployed site sends through by default (Resend's `POST /emails`). */
export const DEFAULT_MAIL_API_URL = "https://api.resend.com/emails";

/**
 * How the site sends email, chosen by its settings:
 * - `http`: `MAIL_API_KEY` is set (a secret): an HTTP email API at `MAIL_API_URL`, from `MAIL_FROM`;
 * - `dev-mailbox`: no key, and the site runs on a loopback http origin (local dev and
 *   tests): every message is stored in the local auth database and sent nowhere;
 * - `none`: no key on a real origin: password reset by email says it is not set up.
 */
export type MailConfig =
  | { kind: "http"; apiUrl: string; apiKey: string; from: string }
  | { kind: "dev-mailbox" }
  | { kind: "none" };

/** True for an http URL on a loopback host (`127.0.0.0/8`, `localhost`, `[::1]`): this machine only. */
export const isLoopbackHttp = (origin: string): boolean => {
  const url = new URL(origin);
  return url.protocol === "http:" && isLoopbackHost(url.hostname);
};

export const mailSchema = z
  .object({
    MAIL_API_KEY: z.string().optional(),
    MAIL_FROM: z.string().optional(),
    MAIL_API_URL: z.string().optional(),
  })
  .superRefine((mail, ctx) => {
    if (!mail.MAIL_API_KEY) return;
    if (!z.email().safeParse(mail.MAIL_FROM?.replace(/^.*<(.*)>$/, "$1")).success) {
      ctx.addIssue({
        code: "custom",
        message: "MAIL_FROM must be an email address when MAIL_API_KEY is set",
      });
    }
    if (
      mail.MAIL_API_URL &&
      !/^https:\/\//.test(mail.MAIL_API_URL) &&
      !isLoopbackHttp(mail.MAIL_API_URL)
    ) {
      ctx.addIssue({ code: "custom", message: "MAIL_API_URL must be an https URL" });
    }
  });

/** Picks the mailer from the parsed mail settings and the site's origin. */
export function mailConfig(mail: z.infer<typeof mailSchema>, origin: string): MailConfig {
  if (mail.MAIL_API_KEY) {
    return {
      kind: "http",
      apiUrl: mail.MAIL_API_URL || DEFAULT_MAIL_API_URL,
      apiKey: mail.MAIL_API_KEY,
      from: mail.MAIL_FROM ?? "",
    };
  }
  return isLoopbackHttp(origin) ? { kind: "dev-mailbox" } : { kind: "none" };
}
