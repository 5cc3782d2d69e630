import { parseArgs } from "node:util";
import { DEFAULT_CONFIG } from "./worker/model.ts";

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
