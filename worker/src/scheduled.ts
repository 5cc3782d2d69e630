import { carryOverMoves } from "./db/carry-over.ts";
import { D1Client } from "./db/client.ts";
import { purgeErasures } from "./db/erasure.ts";
import { shardDatabase } from "./db/shard-database.ts";
import { errorSummary, logEvent } from "./log.ts";
import { SHARDS } from "./shards.ts";

/**
 * The Cron Trigger (see `wrangler.toml`): on every shard, completes erasures, sweeps
 * expired idempotency keys, and carries over what old tokens wrote after a move. The controller's `scheduledTime` is the clock, so a run is
 * reproducible and tests can choose the time. A shard that fails does not stop the others.
 */
export async function scheduled(controller: ScheduledController, env: Env): Promise<void> {
  const now = new Date(controller.scheduledTime);
  const failures: unknown[] = [];
  for (const shard of SHARDS) {
    try {
      const db = new D1Client(shardDatabase(env, shard), "first-primary");
      const erasuresCompleted = await purgeErasures(db, now);
      const moved = await carryOverMoves(env, shard, now);
      logEvent("scheduled", {
        cron: controller.cron,
        shard: shard.id,
        erasuresCompleted,
        ...moved,
      });
    } catch (error) {
      logEvent("scheduled_failed", { shard: shard.id, ...errorSummary(error) }, "error");
      failures.push(error);
    }
  }
  if (failures.length > 0) throw new AggregateError(failures, "a shard's scheduled work failed");
}
