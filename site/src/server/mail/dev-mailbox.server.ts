import type { Mail, Mailer } from "./mail.server.ts";

/** One stored message, newest first when listed. */
export type StoredMail = Mail & { id: number; sentAt: number };

/**
 * The local stand-in for email: each message goes into `dev_mailbox` in the
 * site's auth database (local only: migrations/auth-dev) and nowhere else. Chosen only on
 * a loopback http origin (mail-config.server.ts); `/dev/mailbox` shows it under `astro dev`.
 */
export function devMailbox(db: D1Database): Mailer {
  return {
    async send({ to, subject, text, html, link }) {
      await db
        .prepare(
          `INSERT INTO dev_mailbox (recipient, subject, text, html, link, sentAt)
           VALUES (?1, ?2, ?3, ?4, ?5, ?6)`,
        )
        .bind(to, subject, text, html, link, Date.now())
        .run();
    },
  };
}

/** The newest messages in the dev mailbox. */
export async function readDevMailbox(db: D1Database, limit = 50): Promise<StoredMail[]> {
  const { results } = await db
    .prepare(
      `SELECT id, recipient AS "to", subject, text, html, link, sentAt
       FROM dev_mailbox ORDER BY id DESC LIMIT ?1`,
    )
    .bind(limit)
    .all<StoredMail>();
  return results;
}
