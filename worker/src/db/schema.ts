import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const todos = sqliteTable(
  "todos",
  {
    /** Insertion order: sorts "newest first" and backs the cursor, even within one millisecond. */
    seq: integer("seq").primaryKey({ autoIncrement: true }),
    id: text("id").notNull().unique(),
    userId: text("user_id").notNull(),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    completed: integer("completed", { mode: "boolean" }).notNull().default(false),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (table) => [
    index("todos_user_seq").on(table.userId, table.seq),
    index("todos_user_completed_seq").on(table.userId, table.completed, table.seq),
  ],
);

export type TodoRow = typeof todos.$inferSelect;

/**
 * Each user's number of active and completed todos, kept exact by triggers on `todos`
 * (see the migration that creates them), so a list reads its counts in one row.
 */
export const todoCounts = sqliteTable("todo_counts", {
  userId: text("user_id").primaryKey(),
  active: integer("active").notNull().default(0),
  completed: integer("completed").notNull().default(0),
});

/**
 * `Idempotency-Key`s of creates, per user, for 24 hours: the hash of the request body
 * and the first answer, so a replay answers the same todo even after it changed.
 */
export const idempotencyKeys = sqliteTable(
  "idempotency_keys",
  {
    userId: text("user_id").notNull(),
    key: text("key").notNull(),
    requestHash: text("request_hash").notNull(),
    todoId: text("todo_id").notNull(),
    /** The created todo as first answered (JSON). */
    response: text("response").notNull(),
    createdAt: text("created_at").notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.userId, table.key] }),
    index("idempotency_keys_created_at").on(table.createdAt),
  ],
);

/**
 * Subjects whose account was deleted, and when: a token minted before then may still
 * create todos for up to 30 minutes, so the scheduled purge deletes them afterwards.
 */
export const erasures = sqliteTable("erasures", {
  userId: text("user_id").primaryKey(),
  erasedAt: text("erased_at").notNull(),
});

/**
 * People moved away from this shard (`npm run shard:move`), where to, and when: a token
 * minted before the move still names this shard for up to 30 minutes, so the scheduled
 * handler carries whatever it writes here over to the new shard, then forgets the move.
 */
export const moves = sqliteTable("moves", {
  userId: text("user_id").primaryKey(),
  toShard: text("to_shard").notNull(),
  movedAt: text("moved_at").notNull(),
});
