import { eq, inArray, lt, lte, or } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { D1Client } from "./client.ts";
import { IDEMPOTENCY_KEY_TTL_MS } from "./idempotent-create.ts";
import { erasures, idempotencyKeys, todoCounts, todos } from "./schema.ts";

/**
 * How long after an erasure its subject's todos are purged again: the longest a token
 * minted before it stays valid (30 minutes, plus a minute of allowed clock skew).
 */
export const ERASURE_PURGE_AFTER_MS = 31 * 60 * 1000;

/**
 * Deletes everything the API holds about `userId` and records the erasure, in one batch.
 * Safe to repeat, so transient errors are retried.
 */
export async function erase(d1: D1Client, userId: string, now = new Date()): Promise<void> {
  const db = drizzle(d1.asD1Database());
  const erasedAt = now.toISOString();
  await d1.repeatable(() =>
    db.batch([
      db.delete(todos).where(eq(todos.userId, userId)),
      db.delete(todoCounts).where(eq(todoCounts.userId, userId)),
      db.delete(idempotencyKeys).where(eq(idempotencyKeys.userId, userId)),
      db
        .insert(erasures)
        .values({ userId, erasedAt })
        .onConflictDoUpdate({ target: erasures.userId, set: { erasedAt } }),
    ]),
  );
}

/**
 * The scheduled clean-up, in one batch, every minute: for each recorded erasure, deletes
 * every todo its subject has (the erasure left none, so all were created since by a token
 * minted before it), so such a todo lives at most until the next run; erasures at least
 * 31 minutes old (every such token has expired) are completed: their counts and keys go
 * and the erasure is forgotten. Also deletes idempotency keys older than 24 hours.
 *
 * @returns how many erasures were completed
 */
export async function purgeErasures(d1: D1Client, now: Date): Promise<number> {
  const db = drizzle(d1.asD1Database());
  const due = lte(
    erasures.erasedAt,
    new Date(now.getTime() - ERASURE_PURGE_AFTER_MS).toISOString(),
  );
  const dueSubjects = db.select({ userId: erasures.userId }).from(erasures).where(due);
  const erasedSubjects = db.select({ userId: erasures.userId }).from(erasures);
  const expiredKeys = new Date(now.getTime() - IDEMPOTENCY_KEY_TTL_MS).toISOString();
  const [, , , completed] = await d1.repeatable(() =>
    db.batch([
      db.delete(todos).where(inArray(todos.userId, erasedSubjects)),
      db.delete(todoCounts).where(inArray(todoCounts.userId, dueSubjects)),
      db
        .delete(idempotencyKeys)
        .where(
          or(
            inArray(idempotencyKeys.userId, dueSubjects),
            lt(idempotencyKeys.createdAt, expiredKeys),
          ),
        ),
      db.delete(erasures).where(due).returning({ userId: erasures.userId }),
    ]),
  );
  return completed.length;
}
