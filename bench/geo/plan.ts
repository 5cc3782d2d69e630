import { parseArgs } from "node:util";
import { DEFAULT_CONFIG, type SimConfig } from "./worker/model.ts";

export type GeoOptions = { primaryRttMs: number; replicaRttMs: number; lagMs: number };

export const USAGE =
  "usage: npm run bench:geo -- [--primary-rtt ms] [--replica-rtt ms] [--lag ms]\n" +
  `  defaults: primary ${DEFAULT_CONFIG.primaryRttMs} ms, replica ${DEFAULT_CONFIG.replicaRttMs} ms, lag ${DEFAULT_CONFIG.lagMs} ms`;

function milliseconds(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const ms = Number(value);
  if (value.trim() === "" || !Number.isFinite(ms) || ms < 0 || ms > 10_000) {
    throw new Error(`--${flag} must be a number of milliseconds from 0 to 10000, not "${value}"`);
  }
  return ms;
}

/** The simulated distances from the command line (an unknown flag or a bad value throws). */
export function parseGeoOptions(args: string[]): GeoOptions {
  const { values } = parseArgs({
    args,
    options: {
      "primary-rtt": { type: "string" },
      "replica-rtt": { type: "string" },
      lag: { type: "string" },
    },
    strict: true,
  });
  return {
    primaryRttMs: milliseconds("primary-rtt", values["primary-rtt"], DEFAULT_CONFIG.primaryRttMs),
    replicaRttMs: milliseconds("replica-rtt", values["replica-rtt"], DEFAULT_CONFIG.replicaRttMs),
    lagMs: milliseconds("lag", values.lag, DEFAULT_CONFIG.lagMs),
  };
}

/** How many actions each measurement times (GEO_SAMPLES shortens a trial run). */
const samples = Number(process.env.GEO_SAMPLES ?? 20);
export const SAMPLES = {
  warmup: 3,
  view: samples,
  largeView: Math.ceil(samples / 2),
  addRound: samples,
  /** Rounds of the CPU comparison (5 views of each size per round), run without delays. */
  cpuRounds: 4,
};

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
 * A baseline without any delay, then: the near person's Worker runs beside the primary (it
 * is as close as a replica); the far person's is a primary RTT from it and a replica RTT
 * from a replica. Each with read replication off and on.
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
