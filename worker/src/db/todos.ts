import { and, desc, eq, lt, ne, type SQL, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type {
  ListQuery,
  Todo,
  TodoCreate,
  TodoPage,
  TodoStatus,
  TodoUpdate,
} from "../schemas/todo.ts";
import type { D1Client } from "./client.ts";
import { decodeCursor, encodeCursor } from "./cursor.ts";
import { prepared, preparedOnce, sqlBuilder } from "./prepared.ts";
import { type TodoRow, todoCounts, todos } from "./schema.ts";

/** The columns a todo is read with: the API's todo shape, plus `seq` for paging. */
export const todoColumns = {
  seq: todos.seq,
  id: todos.id,
  title: todos.title,
  description: todos.description,
  completed: todos.completed,
  createdAt: todos.createdAt,
  updatedAt: todos.updatedAt,
};

/** A row read with {@link todoColumns} as the API's todo shape. */
export const toTodo = ({ seq: _seq, ...todo }: Omit<TodoRow, "userId">): Todo => todo;

function statusFilter(status: TodoStatus): SQL | undefined {
  if (status === "active") return eq(todos.completed, false);
  if (status === "completed") return eq(todos.completed, true);
  return undefined;
}

// The list and create are the hot paths: their SQL is built once per isolate (per variant).
const listPage = preparedOnce((variant: `${TodoStatus} ${"first" | "after cursor"}`) => {
  const [status, from] = variant.split(" ", 2) as [TodoStatus, string];
  return prepared(
    sqlBuilder
      .select(todoColumns)
      .from(todos)
      .where(
        and(
          eq(todos.userId, sql.placeholder("userId")),
          statusFilter(status),
          from === "first" ? undefined : lt(todos.seq, sql.placeholder("before")),
        ),
      )
      .orderBy(desc(todos.seq))
      .limit(sql.placeholder("limit")),
    todoColumns,
  );
});

const countsColumns = { active: todoCounts.active, completed: todoCounts.completed };
const listCounts = prepared(
  sqlBuilder
    .select(countsColumns)
    .from(todoCounts)
    .where(eq(todoCounts.userId, sql.placeholder("userId"))),
  countsColumns,
);

const insertTodo = prepared(
  sqlBuilder
    .insert(todos)
    .values({
      id: sql.placeholder("id"),
      userId: sql.placeholder("userId"),
      title: sql.placeholder("title"),
      description: sql.placeholder("description"),
      completed: sql.placeholder("completed"),
      createdAt: sql.placeholder("createdAt"),
      updatedAt: sql.placeholder("updatedAt"),
    })
    .returning(todoColumns),
  todoColumns,
);

/** A new todo from a create request: a random id, created and updated now. */
export function newTodo(input: TodoCreate, now = new Date()): Todo {
  return {
    id: crypto.randomUUID(),
    title: input.title,
    description: input.description ?? "",
    completed: input.completed ?? false,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
}

/**
 * Todo storage for one user. Every statement carries `user_id = ?` in its
 * `WHERE`, so one user can never read or write another's rows, and writes are
 * single statements with no read-then-write window.
 */
export function todoStore(d1: D1Client, userId: string) {
  const db = drizzle(d1.asD1Database());
  const owned = (id: string) => and(eq(todos.userId, userId), eq(todos.id, id));

  return {
    /** A page of the list and the user's counts, read in one round trip (a batch). */
    async list({ status, limit, cursor }: ListQuery): Promise<TodoPage> {
      const page = listPage(`${status} ${cursor === undefined ? "first" : "after cursor"}`);
      const values = {
        userId,
        limit: limit + 1,
        ...(cursor === undefined ? {} : { before: decodeCursor(cursor) }),
      };
      const [rowsResult, countsResult] = await d1.batch([
        page.on(d1, values),
        listCounts.on(d1, { userId }),
      ]);
      const rows = page.rows(rowsResult as D1Result);
      const items = rows.slice(0, limit);
      const last = items.at(-1);
      return {
        items: items.map(toTodo),
        nextCursor: rows.length > limit && last ? encodeCursor(last.seq) : null,
        counts: listCounts.rows(countsResult as D1Result)[0] ?? { active: 0, completed: 0 },
      };
    },

    async create(input: TodoCreate): Promise<Todo> {
      const [row] = await insertTodo.all(d1, { ...newTodo(input), userId });
      if (!row) throw new Error("insert returned no row");
      return toTodo(row);
    },

    async get(id: string): Promise<Todo | undefined> {
      const [row] = await db.select(todoColumns).from(todos).where(owned(id)).limit(1);
      return row && toTodo(row);
    },

    async update(id: string, changes: TodoUpdate): Promise<Todo | undefined> {
      const [row] = await db
        .update(todos)
        .set({ ...changes, updatedAt: new Date().toISOString() })
        .where(owned(id))
        .returning(todoColumns);
      return row && toTodo(row);
    },

    async remove(id: string): Promise<boolean> {
      const deleted = await db.delete(todos).where(owned(id)).returning({ id: todos.id });
      return deleted.length > 0;
    },

    /**
     * Sets `completed` on every todo of the user's that differs; returns how many changed.
     * Counted from the returned rows: D1's `meta.changes` also counts the counters' triggers.
     */
    async setAllCompleted(completed: boolean): Promise<number> {
      const changed = await db
        .update(todos)
        .set({ completed, updatedAt: new Date().toISOString() })
        .where(and(eq(todos.userId, userId), ne(todos.completed, completed)))
        .returning({ seq: todos.seq });
      return changed.length;
    },

    /** Deletes the user's completed todos, or all of them; returns how many. */
    async removeMany(status: "completed" | "all"): Promise<number> {
      const deleted = await db
        .delete(todos)
        .where(and(eq(todos.userId, userId), statusFilter(status)))
        .returning({ seq: todos.seq });
      return deleted.length;
    },
  };
}

export type TodoStore = ReturnType<typeof todoStore>;
