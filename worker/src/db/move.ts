import { and, asc, eq, gt, lte, sql } from "drizzle-orm";
import { type AnyD1Database, type DrizzleD1Database, drizzle } from "drizzle-orm/d1";
import { idempotencyKeys, moves, type TodoRow, todos } from "./schema.ts";

/**
 * How long after a move the old shard is still watched: the longest a token minted
 * before the move stays valid (30 minutes, plus a minute of allowed clock skew).
 */
export const MOVE_CARRY_OVER_MS = 31 * 60 * 1000;

/** Rows per round trip: one statement per row, well under D1's limits for a batch. */
export const MOVE_BATCH_ROWS = 50;

/**
 * Records on the old shard that `userId` now lives on `toShard`, so that the scheduled
 * handler carries over what a token minted before the move still writes there.
 */
export async function recordMove(
  from: AnyD1Database,
  userId: string,
  toShard: string,
  now = new Date(),
): Promise<void> {
  const movedAt = now.toISOString();
  await drizzle(from)
    .insert(moves)
    .values({ userId, toShard, movedAt })
    .onConflictDoUpdate({ target: moves.userId, set: { toShard, movedAt } });
}

/**
 * A todo copied to another shard under a new `seq` (after what that shard holds): a row
 * already there keeps the newer version, and a row of another user is never touched.
 */
function upsertTodo(target: DrizzleD1Database, { seq: _seq, ...row }: TodoRow) {
  return target
    .insert(todos)
    .values(row)
    .onConflictDoUpdate({
      target: todos.id,
      set: {
        title: sql`excluded.title`,
        description: sql`excluded.description`,
        completed: sql`excluded.completed`,
        updatedAt: sql`excluded.updated_at`,
      },
      setWhere: sql`${todos.userId} = excluded.user_id AND excluded.updated_at > ${todos.updatedAt}`,
    });
}

type KeyRow = typeof idempotencyKeys.$inferSelect;

/** An idempotency key copied to another shard; one already there stays as it is. */
const copyKey = (target: DrizzleD1Database, key: KeyRow) =>
  target.insert(idempotencyKeys).values(key).onConflictDoNothing();

type Statement = Parameters<DrizzleD1Database["batch"]>[0][number];

/** Sends `statements` as one batch (one round trip); an empty list sends nothing. */
async function batchOf(db: DrizzleD1Database, statements: Statement[]): Promise<boolean> {
  const [first, ...rest] = statements;
  if (!first) return false;
  await db.batch([first, ...rest]);
  return true;
}

/**
 * Copies one batch of `userId`'s todos (oldest first) and idempotency keys from one
 * shard to another, then deletes from the old shard exactly the rows it copied. A todo
 * already on the new shard keeps the newer of the two versions (never another user's
 * row); one changed on the old shard after it was read stays there for the next batch.
 * Safe to repeat: a crash between the copy and the delete copies again, changing nothing.
 *
 * @returns how many todos and keys the batch moved; 0 when nothing is left
 */
export async function moveBatch(
  from: AnyD1Database,
  to: AnyD1Database,
  userId: string,
  batchRows = MOVE_BATCH_ROWS,
): Promise<number> {
  const source = drizzle(from);
  const target = drizzle(to);
  const [rows, keys] = await source.batch([
    source
      .select()
      .from(todos)
      .where(eq(todos.userId, userId))
      .orderBy(asc(todos.seq))
      .limit(batchRows),
    source
      .select()
      .from(idempotencyKeys)
      .where(eq(idempotencyKeys.userId, userId))
      .orderBy(asc(idempotencyKeys.createdAt))
      .limit(batchRows),
  ]);
  if (rows.length === 0 && keys.length === 0) return 0;

  await batchOf(target, [
    ...rows.map((row) => upsertTodo(target, row)),
    ...keys.map((key) => copyKey(target, key)),
  ]);

  await batchOf(source, [
    ...rows.map((row) =>
      source
        .delete(todos)
        .where(
          and(eq(todos.id, row.id), eq(todos.userId, userId), eq(todos.updatedAt, row.updatedAt)),
        ),
    ),
    ...keys.map((key) =>
      source
        .delete(idempotencyKeys)
        .where(and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, key.key))),
    ),
  ]);
  return rows.length + keys.length;
}

/**
 * Copies every todo and key of `userId` to another shard, batch by batch, deleting
 * nothing: the first step of a move, while the person still reads the old shard.
 *
 * @returns how many rows were copied
 */
export async function copyRows(
  from: AnyD1Database,
  to: AnyD1Database,
  userId: string,
  batchRows = MOVE_BATCH_ROWS,
): Promise<number> {
  const source = drizzle(from);
  const target = drizzle(to);
  let copied = 0;
  for (let afterSeq = 0; ; ) {
    const rows = await source
      .select()
      .from(todos)
      .where(and(eq(todos.userId, userId), gt(todos.seq, afterSeq)))
      .orderBy(asc(todos.seq))
      .limit(batchRows);
    if (
      !(await batchOf(
        target,
        rows.map((row) => upsertTodo(target, row)),
      ))
    )
      break;
    copied += rows.length;
    afterSeq = rows.at(-1)?.seq ?? afterSeq;
  }
  for (let afterKey = ""; ; ) {
    const keys = await source
      .select()
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.userId, userId), gt(idempotencyKeys.key, afterKey)))
      .orderBy(asc(idempotencyKeys.key))
      .limit(batchRows);
    if (
      !(await batchOf(
        target,
        keys.map((key) => copyKey(target, key)),
      ))
    )
      break;
    copied += keys.length;
    afterKey = keys.at(-1)?.key ?? afterKey;
  }
  return copied;
}

/**
 * Moves every todo and key of `userId` from one shard to another, batch by batch,
 * at most `maxBatches` of them (the rest waits for the next call).
 *
 * @returns how many rows were moved
 */
export async function moveRows(
  from: AnyD1Database,
  to: AnyD1Database,
  userId: string,
  options: { batchRows?: number; maxBatches?: number } = {},
): Promise<number> {
  let moved = 0;
  for (let batch = 0; batch < (options.maxBatches ?? Number.POSITIVE_INFINITY); batch++) {
    const count = await moveBatch(from, to, userId, options.batchRows);
    if (count === 0) break;
    moved += count;
  }
  return moved;
}

/** The moves recorded on a shard: whose, where to, and whether the watch is over. */
export async function recordedMoves(from: AnyD1Database, now: Date) {
  const over = new Date(now.getTime() - MOVE_CARRY_OVER_MS).toISOString();
  const rows = await drizzle(from).select().from(moves).orderBy(asc(moves.movedAt)).limit(100);
  return rows.map((move) => ({ ...move, over: move.movedAt <= over }));
}

/** Forgets a move whose watch is over, unless it was recorded again since. */
export async function forgetMove(from: AnyD1Database, userId: string, now: Date): Promise<void> {
  const over = new Date(now.getTime() - MOVE_CARRY_OVER_MS).toISOString();
  await drizzle(from)
    .delete(moves)
    .where(and(eq(moves.userId, userId), lte(moves.movedAt, over)));
}

/**
 * Forgets at once a move away from this shard: the person is moving back to it, so
 * what they write here from now on stays here.
 */
export async function cancelMove(to: AnyD1Database, userId: string): Promise<void> {
  await drizzle(to).delete(moves).where(eq(moves.userId, userId));
}

/** How many todos of `userId` a shard holds, e.g. to check that a move left nothing. */
export async function todoCount(db: AnyD1Database, userId: string): Promise<number> {
  const [row] = await drizzle(db)
    .select({ n: sql<number>`count(*)` })
    .from(todos)
    .where(eq(todos.userId, userId));
  return row?.n ?? 0;
}
