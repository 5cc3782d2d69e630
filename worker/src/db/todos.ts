import { and, desc, eq, lt, ne, type SQL } from "drizzle-orm";
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
import { type TodoRow, todoCounts, todos } from "./schema.ts";

const columns = {
  seq: todos.seq,
  id: todos.id,
  title: todos.title,
  description: todos.description,
  completed: todos.completed,
  createdAt: todos.createdAt,
  updatedAt: todos.updatedAt,
};

const toTodo = ({ seq: _seq, ...todo }: Omit<TodoRow, "userId">): Todo => todo;

function statusFilter(status: TodoStatus): SQL | undefined {
  if (status === "active") return eq(todos.completed, false);
  if (status === "completed") return eq(todos.completed, true);
  return undefined;
}

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
      const [rows, counts] = await db.batch([
        db
          .select(columns)
          .from(todos)
          .where(
            and(
              eq(todos.userId, userId),
              statusFilter(status),
              cursor === undefined ? undefined : lt(todos.seq, decodeCursor(cursor)),
            ),
          )
          .orderBy(desc(todos.seq))
          .limit(limit + 1),
        db
          .select({ active: todoCounts.active, completed: todoCounts.completed })
          .from(todoCounts)
          .where(eq(todoCounts.userId, userId)),
      ]);
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        items: page.map(toTodo),
        nextCursor: rows.length > limit && last ? encodeCursor(last.seq) : null,
        counts: counts[0] ?? { active: 0, completed: 0 },
      };
    },

    async create(input: TodoCreate): Promise<Todo> {
      const [row] = await db
        .insert(todos)
        .values({ ...newTodo(input), userId })
        .returning(columns);
      if (!row) throw new Error("insert returned no row");
      return toTodo(row);
    },

    async get(id: string): Promise<Todo | undefined> {
      const [row] = await db.select(columns).from(todos).where(owned(id)).limit(1);
      return row && toTodo(row);
    },

    async update(id: string, changes: TodoUpdate): Promise<Todo | undefined> {
      const [row] = await db
        .update(todos)
        .set({ ...changes, updatedAt: new Date().toISOString() })
        .where(owned(id))
        .returning(columns);
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
