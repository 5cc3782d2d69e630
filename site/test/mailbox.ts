/** The dev mailbox as the tests read it: straight from the site's auth database. */
import { vi } from "vitest";
import type { Browser } from "./browser.ts";
import type { Stack } from "./stack.ts";

export type Mail = { to: string; subject: string; text: string; html: string; link: string };

/**
 * Which emails a test reads: by the page their link opens. Sign-up also mails a
 * verification link, so tests of password reset read only the reset emails.
 */
export type MailKind = "reset" | "verify" | "all";
const LINK_PATHS: Record<MailKind, string> = {
  reset: "%/reset-password?%",
  verify: "%/verify-email?%",
  all: "%",
};

/** The messages of one kind (the reset emails unless asked) stored for this address, oldest first. */
export async function mailsTo(on: Stack, to: string, kind: MailKind = "reset"): Promise<Mail[]> {
  const db = await on.authDb();
  const { results } = await db
    .prepare(
      `SELECT recipient AS "to", subject, text, html, link FROM dev_mailbox
       WHERE recipient = ?1 AND link LIKE ?2 ORDER BY id`,
    )
    .bind(to, LINK_PATHS[kind])
    .all<Mail>();
  return results;
}

/** Waits until `count` messages of that kind reached this address (the site mails after its answer). */
export async function waitForMails(
  on: Stack,
  to: string,
  count = 1,
  kind: MailKind = "reset",
): Promise<Mail[]> {
  return vi.waitFor(
    async () => {
      const mails = await mailsTo(on, to, kind);
      if (mails.length < count) throw new Error(`${mails.length} of ${count} emails to ${to}`);
      return mails;
    },
    { timeout: 10_000, interval: 50 },
  );
}

/** The path and query of a reset link (`/reset-password?token=…`), and its token. */
export function resetLink(mail: Mail): { path: string; token: string } {
  const url = new URL(mail.link);
  return { path: `${url.pathname}${url.search}`, token: url.searchParams.get("token") ?? "" };
}

/**
 * Follows a reset link as a browser does: the site moves the token into the
 * reset cookie and answers 303 to `/reset-password`, which the browser then opens.
 */
export async function openResetLink(browser: Browser, path: string): Promise<Response> {
  const moved = await browser.get(path);
  if (moved.status !== 303) return moved;
  return browser.get(moved.headers.get("location") ?? "/reset-password");
}

/** How a verification row `<kind>:<rest>` is named in the database: its kind, then a SHA-256. */
export async function storedIdentifier(identifier: string): Promise<string> {
  const kind = identifier.slice(0, identifier.indexOf(":") + 1);
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(identifier));
  return `${kind}#${Buffer.from(digest).toString("base64url")}`;
}

/** How a reset token's verification row is named in the database. */
export const storedResetIdentifier = (token: string): Promise<string> =>
  storedIdentifier(`reset-password:${token}`);
