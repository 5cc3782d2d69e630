import type { GeoOptions } from "./options.ts";
import type { SimConfig } from "./worker/model.ts";

/** How many actions each measurement times, after a few unmeasured ones. */
export const SAMPLES = {
  warmup: 3,
  view: 20,
  /** Fewer: today a view of 5,000 todos makes many round trips, so it is slow when far. */
  largeView: 10,
  largeWarmup: 1,
  addRound: 20,
  /** Views per size for the CPU comparison, run without delays. */
  cpuViews: 20,
} as const;

export const LARGE_TODO_COUNT = 5_000;

export type Scenario = {
  /** `baseline`: no delay at all, what this machine adds by itself. */
  person: "baseline" | "near" | "far";
  replication: boolean;
  config: SimConfig;
};

export const NO_DELAY: SimConfig = {
  primaryRttMs: 0,
  replicaRttMs: 0,
  lagMs: 0,
  replication: true,
};

/**
 * First a baseline without any delay (this machine's own time), then: the near person's Worker runs beside the primary (the primary is as close as a replica);
 * the far person's is a primary RTT away from it and a replica RTT from a replica.
 */
export function scenarios(options: GeoOptions): Scenario[] {
  const near = { ...options, primaryRttMs: options.replicaRttMs };
  const delayed = (["near", "far"] as const).flatMap((person) =>
    [false, true].map((replication) => ({
      person,
      replication,
      config: { ...(person === "near" ? near : options), replication },
    })),
  );
  return [{ person: "baseline", replication: true, config: NO_DELAY }, ...delayed];
}
