import { and, desc, eq, lt, sql } from "drizzle-orm";
import type { D1Client } from "../db/client.ts";
import { prepared, preparedOnce, sqlBuilder } from "../db/prepared.ts";
import { todos } from "../db/schema.ts";
import { todoColumns, toTodo } from "../db/todos.ts";
import type { Todo } from "../schemas/todo.ts";
import { csvRow } from "./csv.ts";

/** Rows per D1 round trip: a page is read only when the stream is ready for it. */
export const EXPORT_PAGE_SIZE = 500;

export type ExportFormat = "json" | "csv";

/** The CSV header row, in the API's field names and order. */
export const CSV_COLUMNS = [
  "id",
  "title",
  "description",
  "completed",
  "createdAt",
  "updatedAt",
] as const satisfies readonly (keyof Todo)[];

// Newest first, as the list, on the (user_id, seq) index; each page starts below the last.
const exportPage = preparedOnce((from: "first" | "after") =>
  prepared(
    sqlBuilder
      .select(todoColumns)
      .from(todos)
      .where(
        and(
          eq(todos.userId, sql.placeholder("userId")),
          from === "first" ? undefined : lt(todos.seq, sql.placeholder("before")),
        ),
      )
      .orderBy(desc(todos.seq))
      .limit(sql.placeholder("limit")),
    todoColumns,
  ),
);

type Row = Todo & { seq: number };

async function readPage(d1: D1Client, userId: string, before: number | undefined, size: number) {
  const statement = exportPage(before === undefined ? "first" : "after");
  return (await statement.all(d1, { userId, before, limit: size })) as Row[];
}

const FORMATS = {
  json: {
    start: "[",
    item: (todo: Todo, index: number) => `${index === 0 ? "\n" : ",\n"}${JSON.stringify(todo)}`,
    end: (count: number) => (count === 0 ? "]\n" : "\n]\n"),
  },
  csv: {
    start: csvRow(CSV_COLUMNS),
    item: (todo: Todo) => csvRow(CSV_COLUMNS.map((column) => String(todo[column]))),
    end: () => "",
  },
} as const;

/**
 * Every todo of `userId`, newest first, as a stream of JSON (an array of the API's todo
 * shape) or CSV. The first page is read before this resolves, so a failing database is
 * an error answer, not a broken download; later pages are read as the stream is pulled,
 * one page in memory at a time. A todo created while the export runs is not in it (it
 * sorts above the first page); one deleted before its page is read is left out.
 *
 * @param onError - called when a later page fails; the stream then errors (a cut download)
 */
export async function exportTodos(
  d1: D1Client,
  userId: string,
  format: ExportFormat,
  {
    pageSize = EXPORT_PAGE_SIZE,
    onError,
  }: { pageSize?: number; onError?: (error: unknown) => void } = {},
): Promise<ReadableStream<Uint8Array>> {
  const writer = FORMATS[format];
  const encoder = new TextEncoder();
  let page = await readPage(d1, userId, undefined, pageSize);
  let written = 0;
  let done = false;

  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(writer.start));
    },
    async pull(controller) {
      if (done) return;
      let text = "";
      for (const row of page) text += writer.item(toTodo(row), written++);
      const last = page.at(-1);
      if (page.length < pageSize || last === undefined) {
        done = true;
        controller.enqueue(encoder.encode(text + writer.end(written)));
        controller.close();
        return;
      }
      controller.enqueue(encoder.encode(text));
      try {
        page = await readPage(d1, userId, last.seq, pageSize);
      } catch (error) {
        done = true;
        onError?.(error);
        controller.error(error);
      }
    },
  });
}
