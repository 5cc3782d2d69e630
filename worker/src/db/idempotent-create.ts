import { and, eq, lt, notExists, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { ApiError } from "../errors.ts";
import type { Todo, TodoCreate } from "../schemas/todo.ts";
import type { D1Client } from "./client.ts";
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
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(canonical));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

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
  const db = drizzle(d1.asD1Database());
  const todo = newTodo(input);
  const hash = await requestHash(input);
  const expired = new Date(Date.parse(todo.createdAt) - IDEMPOTENCY_KEY_TTL_MS).toISOString();
  const thisKey = and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, key));

  const [, , [claim]] = await d1.repeatable(() =>
    db.batch([
      db
        .insert(idempotencyKeys)
        .values({
          userId,
          key,
          requestHash: hash,
          todoId: todo.id,
          response: JSON.stringify(todo),
          createdAt: todo.createdAt,
        })
        .onConflictDoUpdate({
          target: [idempotencyKeys.userId, idempotencyKeys.key],
          set: {
            requestHash: sql`excluded.request_hash`,
            todoId: sql`excluded.todo_id`,
            response: sql`excluded.response`,
            createdAt: sql`excluded.created_at`,
          },
          setWhere: lt(idempotencyKeys.createdAt, expired),
        }),
      // Inserts one row if this request's claim stands and its todo is not there yet.
      db.insert(todos).select(
        db
          .select({
            // Every column of todos, in order; a null `seq` takes the next one.
            seq: sql<number>`NULL`.as("seq"),
            id: idempotencyKeys.todoId,
            userId: idempotencyKeys.userId,
            title: sql<string>`${todo.title}`.as("title"),
            description: sql<string>`${todo.description}`.as("description"),
            completed: sql<boolean>`${todo.completed ? 1 : 0}`.as("completed"),
            createdAt: idempotencyKeys.createdAt,
            updatedAt: idempotencyKeys.createdAt,
          })
          .from(idempotencyKeys)
          .where(
            and(
              thisKey,
              eq(idempotencyKeys.todoId, todo.id),
              // A retry of a batch that did run finds its todo there already.
              notExists(db.select({ id: todos.id }).from(todos).where(eq(todos.id, todo.id))),
            ),
          ),
      ),
      db
        .select({ requestHash: idempotencyKeys.requestHash, response: idempotencyKeys.response })
        .from(idempotencyKeys)
        .where(thisKey),
    ]),
  );
  if (!claim) throw new Error("idempotency key claim missing after its batch");
  if (claim.requestHash !== hash) {
    throw new ApiError(
      "idempotency_key_reused",
      "This Idempotency-Key was used for a different request",
    );
  }
  return JSON.parse(claim.response) as Todo;
}
