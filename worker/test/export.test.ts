import { parse } from "csv-parse/sync";
import { describe, expect, it, vi } from "vitest";
import { D1Client } from "../src/db/client.ts";
import { csvCell } from "../src/export/csv.ts";
import { CSV_COLUMNS, exportTodos } from "../src/export/todo-export.ts";
import type { Todo } from "../src/schemas/todo.ts";
import { call, newUser, userDatabase } from "./helpers.ts";

const HEADER = CSV_COLUMNS.join(",");

/** Stores `todos` for `userId` in the order given (the last is the newest), 1,000 per statement. */
async function seed(userId: string, todos: Todo[]): Promise<void> {
  const database = userDatabase(userId);
  const insert = database.prepare(
    `INSERT INTO todos (id, user_id, title, description, completed, created_at, updated_at)
     SELECT value->>'id', ?1, value->>'title', value->>'description', value->>'completed',
            value->>'createdAt', value->>'updatedAt'
     FROM json_each(?2) ORDER BY key`,
  );
  const statements = [];
  for (let start = 0; start < todos.length; start += 1000) {
    statements.push(insert.bind(userId, JSON.stringify(todos.slice(start, start + 1000))));
  }
  await database.batch(statements);
}

function todosNamed(titles: string[], description = (i: number) => `note ${i}`): Todo[] {
  const start = Date.parse("2026-01-01T00:00:00.000Z");
  return titles.map((title, i) => ({
    id: crypto.randomUUID(),
    title,
    description: description(i),
    completed: i % 3 === 0,
    createdAt: new Date(start + i * 1000).toISOString(),
    updatedAt: new Date(start + i * 2000).toISOString(),
  }));
}

/** What a CSV export of `todos` must read back as: every cell a string, formulas guarded. */
const asCsvRecords = (todos: Todo[]) =>
  todos.map((todo) =>
    CSV_COLUMNS.map((column) => {
      const value = String(todo[column]);
      return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
    }),
  );

const parseCsv = (text: string): string[][] =>
  parse(text, { record_delimiter: "\r\n", relax_column_count: false });

async function exported(token: string, query = "", headers: Record<string, string> = {}) {
  return call(`/api/todos/export${query}`, { token, headers });
}

describe("GET /api/todos/export", () => {
  it("returns all 5,000 of the caller's todos as JSON, newest first, row for row, and only theirs", async () => {
    const user = await newUser();
    const other = await newUser();
    const todos = todosNamed(Array.from({ length: 5000 }, (_, i) => `Todo ${i}`));
    await seed(user.id, todos);
    await seed(other.id, todosNamed(["Someone else's"]));

    const response = await exported(user.token);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(
      /^attachment; filename="todos-\d{4}-\d{2}-\d{2}\.json"$/,
    );
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = await response.json<Todo[]>();
    expect(body).toHaveLength(5000);
    expect(body).toEqual([...todos].reverse());
  });

  it("returns the same 5,000 as CSV (RFC 4180), parsed back row for row", async () => {
    const user = await newUser();
    const todos = todosNamed(
      Array.from({ length: 5000 }, (_, i) => `Todo ${i}`),
      (i) => (i % 2 ? `line one\nline "two", ${i}` : ""),
    );
    await seed(user.id, todos);

    const response = await exported(user.token, "?format=csv");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8; header=present");
    expect(response.headers.get("content-disposition")).toMatch(
      /^attachment; filename="todos-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const text = await response.text();
    expect(text.startsWith(`${HEADER}\r\n`)).toBe(true);
    expect(text.endsWith("\r\n")).toBe(true);
    const [header, ...records] = parseCsv(text);
    expect(header).toEqual([...CSV_COLUMNS]);
    expect(records).toEqual(asCsvRecords([...todos].reverse()));
  });

  it("keeps quotes, commas, newlines and non-ASCII text exact and guards formula starts", async () => {
    const titles = [
      'She said "hi"',
      '"',
      '""',
      "a,b,c",
      ",leading comma",
      "multi\nline",
      "carriage\r\nreturn",
      "=SUM(A1:A9)",
      '=HYPERLINK("http://evil.example","click")',
      "+1",
      "-2",
      "@cmd",
      "\tTabbed",
      "\rReturn",
      "'already quoted",
      " spaced ",
      "Ünïcödé ✓ 日本 😀",
      "plain",
    ];
    const todos = todosNamed(titles, (i) =>
      i % 2 ? (titles[titles.length - 1 - i] ?? "") : "=1+1",
    );
    const user = await newUser();
    await seed(user.id, todos);
    const newestFirst = [...todos].reverse();

    const json = await (await exported(user.token)).json<Todo[]>();
    expect(json).toEqual(newestFirst);

    const text = await (await exported(user.token, "?format=csv")).text();
    const [, ...records] = parseCsv(text);
    expect(records).toEqual(asCsvRecords(newestFirst));
    // The guard is visible in the raw text: no cell starts a formula.
    for (const record of records) {
      for (const cell of record) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    }
    expect(text).toContain(`"${"'"}=HYPERLINK(""http://evil.example"",""click"")"`);
  });

  it("chooses CSV for Accept: text/csv, and ?format wins over Accept", async () => {
    const user = await newUser();
    await seed(user.id, todosNamed(["one"]));
    const csv = await exported(user.token, "", { accept: "text/csv" });
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(csv.headers.get("vary")).toBe("Accept");
    expect((await csv.text()).startsWith(HEADER)).toBe(true);
    const preferred = await exported(user.token, "", {
      accept: "application/json;q=0.5, text/csv",
    });
    expect(preferred.headers.get("content-type")).toMatch(/^text\/csv/);
    const browser = await exported(user.token, "", {
      accept: "text/html,application/xhtml+xml,*/*;q=0.8",
    });
    expect(browser.headers.get("content-type")).toMatch(/^application\/json/);
    const forced = await exported(user.token, "?format=json", { accept: "text/csv" });
    expect(forced.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await forced.json()).toHaveLength(1);
  });

  it("exports nothing as an empty array, or a header row alone", async () => {
    const user = await newUser();
    const json = await exported(user.token);
    expect(await json.text()).toBe("[]\n");
    const csv = await exported(user.token, "?format=csv");
    expect(await csv.text()).toBe(`${HEADER}\r\n`);
  });

  it("refuses unknown query parameters and formats with a 400 naming them", async () => {
    const user = await newUser();
    for (const [query, field] of [
      ["?format=xml", "format"],
      ["?status=all", "status"],
      ["?format=csv&limit=5", "limit"],
    ] as const) {
      const response = await exported(user.token, query);
      expect(response.status, query).toBe(400);
      const body = await response.json<{ error: { code: string; fields: object } }>();
      expect(body.error.code).toBe("validation_error");
      expect(body.error.fields).toHaveProperty(field);
    }
  });

  it("is its own path, not a todo id: other methods get 405, and a todo id still works", async () => {
    const user = await newUser();
    const todo = await user.create("Still reachable");
    for (const method of ["DELETE", "PATCH", "POST"]) {
      const response = await user.call("/api/todos/export", { method, json: { title: "x" } });
      expect(response.status, method).toBe(405);
      expect(response.headers.get("allow")).toBe("GET, HEAD");
    }
    expect((await user.call(`/api/todos/${todo.id}`)).status).toBe(200);
  });

  it("is logged under its own route", async () => {
    const user = await newUser();
    const lines: string[] = [];
    const spy = vi.spyOn(console, "log").mockImplementation((line: string) => {
      lines.push(line);
    });
    try {
      await (await exported(user.token)).text();
    } finally {
      spy.mockRestore();
    }
    expect(lines.map((line) => JSON.parse(line).route)).toEqual(["/api/todos/export"]);
  });

  it("answers the bookmark of its session", async () => {
    const user = await newUser();
    const response = await exported(user.token);
    expect(response.headers.get("x-d1-bookmark")).toBeTruthy();
  });
});

describe("the export stream", () => {
  const client = (database: D1Database) => new D1Client(database, "first-primary");

  it("reads one page per pull: one round trip per page, never the whole list at once", async () => {
    const userId = `user-${crypto.randomUUID()}`;
    const todos = todosNamed(Array.from({ length: 23 }, (_, i) => `t${i}`));
    await seed(userId, todos);
    const d1 = client(userDatabase(userId));
    const stream = await exportTodos(d1, userId, "json", { pageSize: 5 });
    expect(d1.roundTrips).toHaveLength(1);
    const reader = stream.getReader();
    const chunks: string[] = [];
    const decoder = new TextDecoder();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(decoder.decode(value));
      expect(d1.roundTrips.length).toBeLessThanOrEqual(chunks.length + 1);
    }
    expect(d1.roundTrips).toHaveLength(5);
    expect(JSON.parse(chunks.join(""))).toEqual([...todos].reverse());
  });

  it("streams 100,000 todos in chunks of one page, never the whole list at once", async () => {
    const user = await newUser();
    const todos = todosNamed(Array.from({ length: 100_000 }, (_, i) => `Todo number ${i}`));
    await seed(user.id, todos);
    const response = await exported(user.token, "?format=csv");
    expect(response.status).toBe(200);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let rows = -1; // the header row
    let largest = 0;
    let last = "";
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      largest = Math.max(largest, value.byteLength);
      const text = decoder.decode(value, { stream: true });
      rows += text.split("\r\n").length - 1;
      if (text !== "") last = text;
    }
    expect(rows).toBe(100_000);
    expect(last).toContain(`${todos[0]?.id},Todo number 0,`);
    // One chunk is at most a page of 500 rows (about 100 bytes each here), not the list.
    expect(largest).toBeLessThan(500 * 200);
  }, 120_000);

  it("ends exactly at a page boundary", async () => {
    const userId = `user-${crypto.randomUUID()}`;
    const todos = todosNamed(Array.from({ length: 10 }, (_, i) => `t${i}`));
    await seed(userId, todos);
    const stream = await exportTodos(client(userDatabase(userId)), userId, "csv", { pageSize: 5 });
    const [, ...records] = parseCsv(await new Response(stream).text());
    expect(records).toEqual(asCsvRecords([...todos].reverse()));
  });

  it("errors (a cut download) when a later page fails, and reports the error", async () => {
    const userId = `user-${crypto.randomUUID()}`;
    await seed(userId, todosNamed(Array.from({ length: 12 }, (_, i) => `t${i}`)));
    let reads = 0;
    const breaking = {
      withSession(start: D1SessionConstraint) {
        const session = userDatabase(userId).withSession(start);
        return {
          prepare: (sql: string) => ({
            bind: (...values: unknown[]) => ({
              all: () => {
                reads++;
                if (reads > 1)
                  return Promise.reject(new Error("D1_ERROR: disk gone: SQLITE_IOERR"));
                return session
                  .prepare(sql)
                  .bind(...values)
                  .all();
              },
            }),
          }),
          getBookmark: () => session.getBookmark(),
        };
      },
    } as unknown as D1Database;
    const reported: unknown[] = [];
    const stream = await exportTodos(client(breaking), userId, "json", {
      pageSize: 5,
      onError: (error) => reported.push(error),
    });
    await expect(new Response(stream).text()).rejects.toThrow();
    expect(reported).toHaveLength(1);
  });
});

describe("csvCell", () => {
  it("quotes only when needed and doubles quotes", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
    expect(csvCell("")).toBe("");
  });

  it("prefixes a formula start with ' (and quotes it when it needs quotes)", () => {
    expect(csvCell("=1+1")).toBe("'=1+1");
    expect(csvCell("+1")).toBe("'+1");
    expect(csvCell("-1")).toBe("'-1");
    expect(csvCell("@x")).toBe("'@x");
    expect(csvCell("\tx")).toBe("'\tx");
    expect(csvCell("\rx")).toBe('"\'\rx"');
    expect(csvCell("=a,b")).toBe('"\'=a,b"');
    expect(csvCell("a=b")).toBe("a=b");
  });
});
