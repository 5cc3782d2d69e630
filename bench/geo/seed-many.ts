import type { Miniflare } from "miniflare";
import type { todoRowsFor } from "../lib/seed.ts";

type D1 = Awaited<ReturnType<Miniflare["getD1Database"]>>;

/** Rows per statement: one JSON parameter of about 100 KB. */
const ROWS_PER_STATEMENT = 500;

const INSERT_FROM_JSON = `INSERT INTO todos (id, user_id, title, description, completed, created_at, updated_at)
  SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6
  FROM json_each(?) ORDER BY key`;

/**
 * Inserts many todos in a few statements, each taking its rows as one JSON array: every
 * statement prepared through Miniflare's proxy costs a round trip to workerd, so one per
 * row would take minutes for thousands of rows.
 */
export async function insertManyTodos(db: D1, rows: ReturnType<typeof todoRowsFor>): Promise<void> {
  for (let at = 0; at < rows.length; at += ROWS_PER_STATEMENT) {
    const chunk = JSON.stringify(rows.slice(at, at + ROWS_PER_STATEMENT));
    await db.prepare(INSERT_FROM_JSON).bind(chunk).run();
  }
}
