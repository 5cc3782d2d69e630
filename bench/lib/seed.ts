import { randomUUID } from "node:crypto";
import type { D1 } from "../../scripts/lib/serve-worker.ts";

/** Seeded users: the reader is listed, the writer is written to, so the list stays at 50. */
export const USERS = { reader: "bench-user-a", writer: "bench-user-b" } as const;
export const TODOS_PER_USER = 50;

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
const COLUMNS = "id, user_id, title, description, completed, created_at, updated_at";

/** Both users get TODOS_PER_USER todos. */
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

/**
 * Inserts todos 500 to a statement, each statement taking its rows as one JSON array:
 * every statement through Miniflare's proxy is a round trip to workerd.
 */
export async function insertTodos(db: D1, rows: TodoRow[]): Promise<void> {
  const insert = `INSERT INTO todos (${COLUMNS}) SELECT value ->> 0, value ->> 1, value ->> 2,
    value ->> 3, value ->> 4, value ->> 5, value ->> 6 FROM json_each(?) ORDER BY key`;
  for (let at = 0; at < rows.length; at += 500) {
    await db
      .prepare(insert)
      .bind(JSON.stringify(rows.slice(at, at + 500)))
      .run();
  }
}

/** Every row of `table` in `from`, inserted into the same table in `to`. */
export async function copyRows(from: D1, to: D1, table: string): Promise<void> {
  const { results } = await from.prepare(`select * from "${table}"`).all<Record<string, unknown>>();
  const columns = Object.keys(results[0] ?? {});
  if (columns.length === 0) return;
  const names = columns.map((c) => `"${c}"`).join(", ");
  const insert = `insert into "${table}" (${names}) values (${columns.map(() => "?").join(", ")})`;
  await to.batch(
    results.map((row: Record<string, unknown>) =>
      to.prepare(insert).bind(...columns.map((c) => row[c])),
    ),
  );
}
