import { performance } from "node:perf_hooks";
import { processCpuMs } from "../lib/cpu.ts";
import { median, percentile } from "../lib/stats.ts";
import { type SimulatedWorker, takeTrips } from "./control.ts";
import { sequentialRoundTrips } from "./critical-path.ts";
import type { RoundTrip } from "./worker/model.ts";

/** The site and the API it calls, both behind the simulation. */
export type Deployment = {
  site: SimulatedWorker & { pid: number | undefined };
  api: SimulatedWorker & { pid: number | undefined };
};

/** Latency and D1 round trips of one action (a page view, or a POST → 303 → GET round). */
export type Series = {
  count: number;
  p50Ms: number;
  p95Ms: number;
  /** Medians per action, site and API together. */
  roundTrips: number;
  sequentialRoundTrips: number;
  primaryRoundTrips: number;
  replicaRoundTrips: number;
  lagWaitMs: number;
  /** The round trips of the last measured action, site and API, in time order. */
  trace: TraceEntry[];
};

export type TraceEntry = {
  worker: "site" | "api";
  served: RoundTrip["served"];
  /** From the action's first round trip. */
  startMs: number;
  durationMs: number;
  lagWaitMs: number;
  sql: string;
};

function traceOf(trips: (RoundTrip & { worker: TraceEntry["worker"] })[]): TraceEntry[] {
  const first = Math.min(...trips.map((trip) => trip.start));
  return [...trips]
    .sort((a, b) => a.start - b.start || a.end - b.end)
    .map((trip) => ({
      worker: trip.worker,
      served: trip.served,
      startMs: trip.start - first,
      durationMs: trip.end - trip.start,
      lagWaitMs: trip.lagWaitMs,
      sql: trip.sql,
    }));
}

type Sample = {
  ms: number;
  roundTrips: number;
  sequential: number;
  primary: number;
  replica: number;
  lagWaitMs: number;
};

/** Runs `action` `warmup` times unmeasured, then `count` times one after another. */
export async function measureSeries(
  deployment: Deployment,
  action: () => Promise<void>,
  count: number,
  warmup: number,
): Promise<Series> {
  for (let index = 0; index < warmup; index++) await action();
  const take = async () => {
    const [site, api] = await Promise.all([takeTrips(deployment.site), takeTrips(deployment.api)]);
    return [
      ...site.map((trip) => ({ ...trip, worker: "site" as const })),
      ...api.map((trip) => ({ ...trip, worker: "api" as const })),
    ];
  };
  const samples: Sample[] = [];
  let trace: TraceEntry[] = [];
  for (let index = 0; index < count; index++) {
    await take();
    const start = performance.now();
    await action();
    const ms = performance.now() - start;
    const trips = await take();
    trace = traceOf(trips);
    samples.push({
      ms,
      roundTrips: trips.length,
      sequential: sequentialRoundTrips(trips),
      primary: trips.filter((trip) => trip.served === "primary").length,
      replica: trips.filter((trip) => trip.served === "replica").length,
      lagWaitMs: trips.reduce((sum, trip) => sum + trip.lagWaitMs, 0),
    });
  }
  const sorted = samples.map((sample) => sample.ms).sort((a, b) => a - b);
  const medianOf = (pick: (sample: Sample) => number) => median(samples.map(pick));
  return {
    count,
    p50Ms: percentile(sorted, 50),
    p95Ms: percentile(sorted, 95),
    roundTrips: medianOf((sample) => sample.roundTrips),
    sequentialRoundTrips: medianOf((sample) => sample.sequential),
    primaryRoundTrips: medianOf((sample) => sample.primary),
    replicaRoundTrips: medianOf((sample) => sample.replica),
    lagWaitMs: medianOf((sample) => sample.lagWaitMs),
    trace,
  };
}

/** Server CPU (site and API workerd processes together) per run of `action`, in ms. */
export async function cpuPerAction(
  deployment: Deployment,
  action: () => Promise<void>,
  count: number,
): Promise<number> {
  await action();
  const cpu = () => processCpuMs(deployment.site.pid) + processCpuMs(deployment.api.pid);
  const before = cpu();
  for (let index = 0; index < count; index++) await action();
  return (cpu() - before) / count;
}
