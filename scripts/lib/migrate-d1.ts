/**
 * Applies a folder of D1 migrations to a binding from Node, recorded as
 * `wrangler d1 migrations apply` records them (its `d1_migrations` table, the same rows),
 * so either can run after the other on the same data. Starting wrangler's CLI costs about
 * 5 s of CPU per database on this machine; the local stack, the bench and the tests apply
 * their migrations through this instead.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { unstable_splitSqlQuery } from "wrangler";

/** wrangler's default migrations table, and its definition. */
const TABLE = "d1_migrations";
const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "${TABLE}"(
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  name       TEXT UNIQUE,
  applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL
);`;

/** What this needs of a D1 binding: Miniflare's, a platform proxy's, or the Workers type. */
type Statement = { all(): Promise<{ results: unknown[] }> };
export type MigratableD1 = {
  prepare(sql: string): Statement;
  batch(statements: Statement[]): Promise<unknown>;
};

const sqlFiles = (dir: string) =>
  readdirSync(dir)
    .filter((file) => file.endsWith(".sql"))
    .sort();

/** Runs a file's statements in one batch (one transaction), split as wrangler splits them. */
async function runSqlFile(db: MigratableD1, file: string, append = ""): Promise<void> {
  const statements = unstable_splitSqlQuery(`${readFileSync(file, "utf8")}\n${append}`);
  await db.batch(statements.map((sql) => db.prepare(sql)));
}

/** Applies the folder's migrations not applied yet, in order, each with its record. */
export async function migrate(db: MigratableD1, migrationsDir: string): Promise<void> {
  await db.batch([db.prepare(CREATE_TABLE)]);
  const { results } = await db.prepare(`SELECT name FROM "${TABLE}"`).all();
  const applied = new Set(results.map((row) => (row as { name: string }).name));
  for (const file of sqlFiles(migrationsDir)) {
    if (applied.has(file)) continue;
    const record = `INSERT INTO "${TABLE}" (name) values ('${file.replaceAll("'", "''")}');`;
    await runSqlFile(db, path.join(migrationsDir, file), record);
  }
}
