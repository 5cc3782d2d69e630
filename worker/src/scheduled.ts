import { D1Client } from "./db/client.ts";
import { purgeErasures } from "./db/erasure.ts";
import { logEvent } from "./log.ts";

/**
 * The Cron Trigger (see `wrangler.toml`): completes erasures and sweeps expired
 * idempotency keys. The controller's `scheduledTime` is the clock, so a run is
 * reproducible and tests can choose the time.
 */
export async function scheduled(controller: ScheduledController, env: Env): Promise<void> {
  const db = new D1Client(env.DB, "first-primary");
  const erasuresCompleted = await purgeErasures(db, new Date(controller.scheduledTime));
  logEvent("scheduled", { cron: controller.cron, erasuresCompleted });
}
