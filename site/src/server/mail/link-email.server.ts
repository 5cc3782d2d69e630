import { escapeHtml } from "../http/plain-page.server.ts";
import type { Mail } from "./mail.server.ts";

export type LinkEmail = {
  to: string;
  subject: string;
  /** The one link the email carries, e.g. `https://…/reset-password?token=…`. */
  link: string;
  intro: string;
  instruction: string;
  outro: string;
};

/**
 * An email whose job is one link: plain text, and the same words as simple HTML with
 * no images, tracking pixels or rewritten links.
 */
export function linkEmail({ to, subject, link, intro, instruction, outro }: LinkEmail): Mail {
  const paragraph = (text: string) => `<p>${escapeHtml(text)}</p>`;
  return {
    to,
    subject,
    text: `${[intro, instruction, link, outro].join("\n\n")}\n`,
    html: [
      paragraph(intro),
      paragraph(instruction),
      `<p><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p>`,
      paragraph(outro),
    ].join("\n"),
    link,
  };
}
