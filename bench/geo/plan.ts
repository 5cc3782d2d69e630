import { parseArgs } from "node:util";
import { SHARDS } from "@todo/worker/shards";
import { DEFAULT_CONFIG, type SimConfig } from "./worker/model.ts";

export type GeoOptions = Pick<SimConfig, "primaryRttMs" | "replicaRttMs" | "lagMs"> & {
  /** RTT from a far person's Worker to the primary of a shard near them. */
  shardRttMs: number;
};

/** Everyone signs up from Europe, so their home is this shard; the bench places it near or far. */
export const HOME = { cf: { continent: "EU" }, shard: SHARDS[0] };
const DEFAULT_SHARD_RTT_MS = 8;

export const USAGE =
  "usage: npm run bench:geo -- [--primary-rtt ms] [--replica-rtt ms] [--lag ms] [--shard-rtt ms]\n" +
  `  defaults: primary ${DEFAULT_CONFIG.primaryRttMs} ms, replica ${DEFAULT_CONFIG.replicaRttMs} ms, lag ${DEFAULT_CONFIG.lagMs} ms, shard ${DEFAULT_SHARD_RTT_MS} ms`;

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
      "shard-rtt": { type: "string" },
    },
    strict: true,
  });
  return {
    primaryRttMs: milliseconds("primary-rtt", values["primary-rtt"], DEFAULT_CONFIG.primaryRttMs),
    replicaRttMs: milliseconds("replica-rtt", values["replica-rtt"], DEFAULT_CONFIG.replicaRttMs),
    lagMs: milliseconds("lag", values.lag, DEFAULT_CONFIG.lagMs),
    shardRttMs: milliseconds("shard-rtt", values["shard-rtt"], DEFAULT_SHARD_RTT_MS),
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
  /**
   * `baseline`: no delay at all, what this machine adds by itself; `far, homed near`: far
   * from the auth database's primary, but their home shard's primary is near them.
   */
  person: "baseline" | "near" | "far" | "far, homed near";
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
 * A baseline without any delay, then: the near person's Worker runs beside the primaries (as
 * close as a replica); the far person's is a primary RTT from the auth database's primary
 * and from their home shard's (homed far away), a replica RTT from a replica; each with
 * read replication off and on. Last, a far person homed on a shard near them (replication on).
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
  const homedNear = {
    person: "far, homed near" as const,
    replication: true,
    config: {
      ...options,
      replication: true,
      primaryRttByBinding: { [HOME.shard.binding]: options.shardRttMs },
    },
  };
  return [{ person: "baseline", replication: true, config: NO_DELAY }, ...delayed, homedNear];
}
