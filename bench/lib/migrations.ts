import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { unstable_splitSqlQuery } from "wrangler";

/** A folder's `.sql` migrations in the order wrangler applies them (by file name). */
export function readMigrations(dir: string): { name: string; sql: string }[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith(".sql"))
    .sort()
    .map((name) => ({ name, sql: readFileSync(path.join(dir, name), "utf8") }));
}

/** One migration file as single statements, split the way `wrangler d1 migrations apply` splits it. */
export const migrationStatements = (sql: string): string[] => unstable_splitSqlQuery(sql);
