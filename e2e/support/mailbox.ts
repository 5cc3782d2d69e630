import { readdirSync } from "node:fs";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { inject, vi } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");

/**
 * The auth database's SQLite file as local D1 keeps it: under the stack's data
 * directory, or where `npm run dev` keeps it when the tests use a stack started by hand.
 */
function authDatabaseFile(): string {
  const persistDir = inject("persistDir");
  const state = persistDir
    ? path.join(persistDir, "site")
    : path.join(ROOT, "site/.wrangler/state");
  const dir = path.join(state, "v3/d1/miniflare-D1DatabaseObject");
  // Beside each database's file, Miniflare keeps a metadata.sqlite of its own.
  const files = readdirSync(dir).filter(
    (name) => name.endsWith(".sqlite") && name !== "metadata.sqlite",
  );
  if (files.length !== 1)
    throw new Error(`expected one auth database in ${dir}, found ${files.length}`);
  return path.join(dir, files[0] as string);
}

function newestLink(recipient: string, subject: string): string {
  const db = new DatabaseSync(authDatabaseFile(), { readOnly: true });
  try {
    const row = db
      .prepare(
        "SELECT link FROM dev_mailbox WHERE recipient = ? AND subject = ? ORDER BY id DESC LIMIT 1",
      )
      .get(recipient, subject) as { link: string } | undefined;
    if (!row) throw new Error(`no email "${subject}" to ${recipient} in the dev mailbox yet`);
    return row.link;
  } finally {
    db.close();
  }
}

/**
 * The link of the newest email to `recipient` with this subject, from the dev mailbox
 * (locally the site keeps every email there; the production build has no page for it).
 * The site mails after it has answered, so this waits a little for the email.
 */
export const mailedLink = (recipient: string, subject: string): Promise<string> =>
  vi.waitFor(() => newestLink(recipient, subject), { timeout: 15_000, interval: 200 });
