import { type Shard, shardById } from "../shards.ts";
import { forgetMove, moveRows, recordedMoves } from "./move.ts";
import { type ShardBindings, shardDatabase } from "./shard-database.ts";

/** Batches one scheduled run may carry per move; the rest waits a minute. */
const MAX_BATCHES_PER_RUN = 20;

/**
 * The scheduled half of a move: for each person moved away from `shard`, carries to
 * their new shard whatever a token minted before the move wrote here since, and once
 * 31 minutes have passed (every such token has expired), carries the last of it and
 * forgets the move.
 *
 * @returns how many rows were carried over
 */
export async function carryOverMoves(
  env: ShardBindings,
  shard: Shard,
  now: Date,
): Promise<{ carried: number; movesCompleted: number }> {
  const from = shardDatabase(env, shard);
  let carried = 0;
  let movesCompleted = 0;
  for (const move of await recordedMoves(from, now)) {
    const target = shardById(move.toShard);
    if (target === undefined || target === shard) continue;
    const to = shardDatabase(env, target);
    carried += await moveRows(from, to, move.userId, { maxBatches: MAX_BATCHES_PER_RUN });
    if (move.over) {
      await forgetMove(from, move.userId, now);
      movesCompleted++;
    }
  }
  return { carried, movesCompleted };
}
