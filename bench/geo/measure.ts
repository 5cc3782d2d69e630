import { performance } from "node:perf_hooks";
import { processCpuMs } from "../lib/cpu.ts";
import { median, percentile } from "../lib/stats.ts";
import { type RoundTrip, SIM_PATHS, type SimConfig } from "./worker/model.ts";

/** A Worker served behind the simulation's entry module. */
export type SimulatedWorker = { url: string; pid?: number | undefined };
/** The site and the API it calls, both behind the simulation. */
export type Deployment = { site: SimulatedWorker; api: SimulatedWorker };

export async function configure(worker: SimulatedWorker, config: SimConfig): Promise<void> {
  const response = await fetch(`${worker.url}${SIM_PATHS.config}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(config),
  });
  if (!response.ok) throw new Error(`${worker.url} refused the simulation settings`);
  await response.arrayBuffer();
}

/** The round trips the Worker made since the last call (and forgets them). */
export async function takeTrips(worker: SimulatedWorker): Promise<RoundTrip[]> {
  const response = await fetch(`${worker.url}${SIM_PATHS.trips}`);
  if (!response.ok) throw new Error(`${worker.url} did not report its round trips`);
  return (await response.json()) as RoundTrip[];
}

/**
 * How many round trips an action waited on one after another: the longest chain of round
 * trips each of which started when (or after) the previous one ended; overlapping round
 * trips ran in parallel and count once. Greedy by end time finds the longest such chain.
 */
export function sequentialRoundTrips(trips: readonly RoundTrip[]): number {
  let chain = 0;
  let lastEnd = Number.NEGATIVE_INFINITY;
  for (const trip of [...trips].sort((a, b) => a.end - b.end)) {
    if (trip.start >= lastEnd) {
      chain++;
      lastEnd = trip.end;
    }
  }
  return chain;
}

export type TraceEntry = Omit<RoundTrip, "start" | "end"> & {
  worker: "site" | "api";
  /** From the action's first round trip. */
  startMs: number;
  durationMs: number;
};

/** Latency and D1 round trips of one action (a page view, or a POST → 303 → GET round). */
export type Series = {
  samplesMs: number[];
  p50Ms: number;
  p95Ms: number;
  /** Medians per action, site and API together. */
  roundTrips: number;
  sequentialRoundTrips: number;
  primaryRoundTrips: number;
  replicaRoundTrips: number;
  /** The round trips of the last measured action, in time order. */
  trace: TraceEntry[];
};

/** Runs `action` `warmup` times unmeasured, then `count` times one after another. */
export async function measureSeries(
  deployment: Deployment,
  action: () => Promise<unknown>,
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
  const samples: { ms: number; trips: Awaited<ReturnType<typeof take>> }[] = [];
  for (let index = 0; index < count; index++) {
    await take();
    const start = performance.now();
    await action();
    samples.push({ ms: performance.now() - start, trips: await take() });
  }
  const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
  const medianOf = (count: (trips: RoundTrip[]) => number) =>
    median(samples.map((s) => count(s.trips)));
  const last = samples.at(-1)?.trips ?? [];
  const first = Math.min(...last.map((trip) => trip.start));
  return {
    samplesMs: samples.map((s) => s.ms),
    p50Ms: median(sorted),
    p95Ms: percentile(sorted, 95),
    roundTrips: medianOf((trips) => trips.length),
    sequentialRoundTrips: medianOf(sequentialRoundTrips),
    primaryRoundTrips: medianOf((trips) => trips.filter((t) => t.served === "primary").length),
    replicaRoundTrips: medianOf((trips) => trips.filter((t) => t.served === "replica").length),
    trace: [...last]
      .sort((a, b) => a.start - b.start || a.end - b.end)
      .map(({ start, end, ...trip }) => ({
        ...trip,
        startMs: start - first,
        durationMs: end - start,
      })),
  };
}

/** Server CPU (site and API workerd processes together) per run of `action`, in ms. */
export async function cpuPerAction(
  deployment: Deployment,
  action: () => Promise<unknown>,
  count: number,
): Promise<number> {
  const cpu = () => processCpuMs(deployment.site.pid) + processCpuMs(deployment.api.pid);
  const before = cpu();
  for (let index = 0; index < count; index++) await action();
  return (cpu() - before) / count;
}
