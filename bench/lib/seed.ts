import { randomUUID } from "node:crypto";
import { DatabaseSync } from "node:sqlite";
import type { Miniflare } from "miniflare";
import { TODOS_PER_USER, USERS } from "./config.ts";
import { migrationStatements, readMigrations } from "./migrations.ts";

type D1 = Awaited<ReturnType<Miniflare["getD1Database"]>>;

/** A row of the `todos` table as the migrations define it (`seq` is assigned by SQLite). */
type TodoRow = [
  id: string,
  userId: string,
  title: string,
  description: string,
  completed: 0 | 1,
  createdAt: string,
  updatedAt: string,
];

const INSERT_TODO = `INSERT INTO todos (id, user_id, title, description, completed, created_at, updated_at)
  VALUES (?, ?, ?, ?, ?, ?, ?)`;

/** The same data for the API and the peer: both users get TODOS_PER_USER todos. */
export const seedRows = (): TodoRow[] =>
  [USERS.reader, USERS.writer].flatMap((userId) => todoRowsFor(userId));

/** `count` todos for one user, a third of them done, half with a description. */
export function todoRowsFor(userId: string, count = TODOS_PER_USER): TodoRow[] {
  const start = Date.now() - 24 * 3600_000;
  return Array.from({ length: count }, (_, index): TodoRow => {
    const at = new Date(start + index * 60_000).toISOString();
    return [
      randomUUID(),
      userId,
      `Todo ${index + 1}: water the plants, then call the bank`,
      index % 2 === 0 ? "Some notes that make the item a realistic size." : "",
      index % 3 === 0 ? 1 : 0,
      at,
      at,
    ];
  });
}

/** Applies the real migrations to a D1 binding, then inserts the rows (if any). */
export async function prepareD1(db: D1, migrationsDir: string, rows: TodoRow[]): Promise<void> {
  for (const migration of readMigrations(migrationsDir)) {
    await db.batch(migrationStatements(migration.sql).map((sql) => db.prepare(sql)));
  }
  await insertTodos(db, rows);
}

export async function insertTodos(db: D1, rows: TodoRow[]): Promise<void> {
  if (rows.length > 0) await db.batch(rows.map((row) => db.prepare(INSERT_TODO).bind(...row)));
}

/** The same for the peer: a SQLite file with the same migrations and rows. */
export function prepareSqlite(file: string, migrationsDir: string, rows: TodoRow[]): void {
  const db = new DatabaseSync(file);
  try {
    for (const migration of readMigrations(migrationsDir)) db.exec(migration.sql);
    const insert = db.prepare(INSERT_TODO);
    db.exec("BEGIN");
    for (const row of rows) insert.run(...row);
    db.exec("COMMIT");
  } finally {
    db.close();
  }
}
