import { and, eq, lt, notExists, sql } from "drizzle-orm";
import { sha256 } from "hono/utils/crypto";
import { ApiError } from "../errors.ts";
import type { Todo, TodoCreate } from "../schemas/todo.ts";
import type { D1Client } from "./client.ts";
import { prepared, sqlBuilder } from "./prepared.ts";
import { idempotencyKeys, todos } from "./schema.ts";
import { newTodo } from "./todos.ts";

/** How long a key answers with its first result. */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1000;

/** SHA-256 of the create as it will be stored, so `{"title":"a"}` and `{"title":" a "}` match. */
async function requestHash(input: TodoCreate): Promise<string> {
  const canonical = JSON.stringify([
    input.title,
    input.description ?? "",
    input.completed ?? false,
  ]);
  const hash = await sha256(canonical);
  // hono answers null only where Web Crypto is missing, which workerd never is.
  if (hash === null) throw new Error("SHA-256 is not available");
  return hash;
}

const thisKey = and(
  eq(idempotencyKeys.userId, sql.placeholder("userId")),
  eq(idempotencyKeys.key, sql.placeholder("key")),
);

/** Claims the key for a new todo, unless a live claim exists (an expired one is claimed afresh). */
const claimKey = prepared(
  sqlBuilder
    .insert(idempotencyKeys)
    .values({
      userId: sql.placeholder("userId"),
      key: sql.placeholder("key"),
      requestHash: sql.placeholder("requestHash"),
      todoId: sql.placeholder("todoId"),
      response: sql.placeholder("response"),
      createdAt: sql.placeholder("createdAt"),
    })
    .onConflictDoUpdate({
      target: [idempotencyKeys.userId, idempotencyKeys.key],
      set: {
        requestHash: sql`excluded.request_hash`,
        todoId: sql`excluded.todo_id`,
        response: sql`excluded.response`,
        createdAt: sql`excluded.created_at`,
      },
      setWhere: lt(idempotencyKeys.createdAt, sql.placeholder("expired")),
    }),
);

/** Inserts one row if this request's claim stands and its todo is not there yet. */
const insertClaimedTodo = prepared(
  sqlBuilder.insert(todos).select(
    sqlBuilder
      .select({
        // Every column of todos, in order; a null `seq` takes the next one.
        seq: sql<number>`NULL`.as("seq"),
        id: idempotencyKeys.todoId,
        userId: idempotencyKeys.userId,
        title: sql<string>`${sql.placeholder("title")}`.as("title"),
        description: sql<string>`${sql.placeholder("description")}`.as("description"),
        completed: sql<boolean>`${sql.placeholder("completed")}`.as("completed"),
        createdAt: idempotencyKeys.createdAt,
        updatedAt: idempotencyKeys.createdAt,
      })
      .from(idempotencyKeys)
      .where(
        and(
          thisKey,
          eq(idempotencyKeys.todoId, sql.placeholder("todoId")),
          // A retry of a batch that did run finds its todo there already.
          notExists(
            sqlBuilder
              .select({ id: todos.id })
              .from(todos)
              .where(eq(todos.id, sql.placeholder("todoId"))),
          ),
        ),
      ),
  ),
);

const claimColumns = {
  requestHash: idempotencyKeys.requestHash,
  response: idempotencyKeys.response,
};
const readClaim = prepared(
  sqlBuilder.select(claimColumns).from(idempotencyKeys).where(thisKey),
  claimColumns,
);

/**
 * Creates a todo once per `(user, key)` within 24 hours, in one batch (one transaction):
 * claim the key for a new todo unless a live claim exists, insert the todo only if this
 * request's claim stands, then read the claim. Concurrent requests with one key serialize
 * in D1, so exactly one inserts and all answer its todo. The batch can be repeated as a
 * whole, so transient errors are retried.
 */
export async function createOnce(
  d1: D1Client,
  userId: string,
  key: string,
  input: TodoCreate,
): Promise<Todo> {
  const todo = newTodo(input);
  const hash = await requestHash(input);
  const values = {
    userId,
    key,
    requestHash: hash,
    todoId: todo.id,
    response: JSON.stringify(todo),
    createdAt: todo.createdAt,
    expired: new Date(Date.parse(todo.createdAt) - IDEMPOTENCY_KEY_TTL_MS).toISOString(),
    title: todo.title,
    description: todo.description,
    completed: todo.completed ? 1 : 0,
  };
  const [, , claimResult] = await d1.repeatable(() =>
    d1.batch([claimKey.on(d1, values), insertClaimedTodo.on(d1, values), readClaim.on(d1, values)]),
  );
  const [claim] = readClaim.rows(claimResult as D1Result);
  if (!claim) throw new Error("idempotency key claim missing after its batch");
  if (claim.requestHash !== hash) {
    throw new ApiError(
      "idempotency_key_reused",
      "This Idempotency-Key was used for a different request",
    );
  }
  return JSON.parse(claim.response) as Todo;
}
