/**
 * Migrations of the site's auth database for local dev and tests only
 * (`migrations/auth-dev`): `npm run dev` and the site tests apply them after the real
 * ones (`migrations/auth`, the folder a deploy applies). Each runs every time, so each is
 * written to be safe to run again (`create table if not exists`).
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { unstable_splitSqlQuery } from "wrangler";
import { ROOT } from "./process.ts";

export const DEV_AUTH_MIGRATIONS_DIR = path.join(ROOT, "migrations/auth-dev");

/** The folder's `.sql` files, in name order, as paths relative to the repository. */
const devAuthMigrationFiles = (): string[] =>
  readdirSync(DEV_AUTH_MIGRATIONS_DIR)
    .filter((file) => file.endsWith(".sql"))
    .sort()
    .map((file) => path.relative(ROOT, path.join(DEV_AUTH_MIGRATIONS_DIR, file)));

/** The part of a D1 binding this needs (the site tests pass the harness's `AUTH_DB`). */
type D1Like = { prepare(sql: string): { run(): Promise<unknown> } };

/** Applies them to a D1 binding, statement by statement. */
export async function applyDevAuthMigrations(db: D1Like): Promise<void> {
  for (const file of devAuthMigrationFiles()) {
    for (const statement of unstable_splitSqlQuery(readFileSync(path.join(ROOT, file), "utf8"))) {
      await db.prepare(statement).run();
    }
  }
}
