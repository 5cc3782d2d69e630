import { ownCpuMs, processCpuMs } from "./cpu.ts";
import type { LoadGenerator, LoadSample, LoadTarget } from "./load.ts";
import { type Column, fixed, int, tableOf } from "./report.ts";
import { median, percentile } from "./stats.ts";
import type { PlannedTarget } from "./targets.ts";

const envNumber = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

/** One load setting for every target; BENCH_ROUNDS and BENCH_SECONDS shorten a trial run. */
export const LOAD = {
  connections: envNumber("BENCH_CONNECTIONS", 10),
  warmupSeconds: 1,
  /** Each target is measured once per round; rounds interleave targets so drift hits all alike. */
  rounds: envNumber("BENCH_ROUNDS", 6),
  secondsPerRound: envNumber("BENCH_SECONDS", 2),
};

export type Measurement = {
  id: string;
  label: string;
  /** Median of the rounds' req/s. */
  reqPerSec: number;
  roundsReqPerSec: number[];
  /** Over every successful request of every round. */
  p50Ms: number;
  p99Ms: number;
  requests: number;
  failures: number;
  /** CPU the serving process spent per request (µs), median of the rounds. */
  serverCpuMicros: number;
  roundsServerCpuMicros: number[];
  /** CPU this process spent per request (µs) draining the server's log lines. */
  logDrainCpuMicros: number;
};

/** One request as the load generator sends it. */
export const send = (target: LoadTarget, init: RequestInit = {}): Promise<Response> =>
  fetch(target.url, { method: target.method, headers: target.headers, body: target.body, ...init });

/** One request first, so a broken target fails the run with its answer, not with figures. */
export async function checkTarget({ id, target }: PlannedTarget): Promise<void> {
  const response = await send(target, { signal: AbortSignal.timeout(10_000) });
  const body = await response.text();
  if (response.status !== target.expectStatus) {
    throw new Error(
      `${id}: ${target.method} ${target.url} answered ${response.status}: ${body.slice(0, 300)}`,
    );
  }
}

/**
 * Warms every target up, then measures them in rounds: each round visits every target,
 * so slow drift on a shared machine lands on all of them alike.
 */
export async function measureAll(
  load: LoadGenerator,
  targets: readonly PlannedTarget[],
  onProgress: (line: string) => void,
  connections = LOAD.connections,
): Promise<Measurement[]> {
  const job = (planned: PlannedTarget, seconds: number) => ({
    target: planned.target,
    seconds,
    connections,
  });
  for (const planned of targets) await load.measure(job(planned, LOAD.warmupSeconds));
  const rounds = new Map(
    targets.map((t) => [t.id, [] as (LoadSample & { cpu: number; host: number })[]]),
  );
  for (let round = 1; round <= LOAD.rounds; round++) {
    for (const planned of targets) {
      const [serverBefore, hostBefore] = [processCpuMs(planned.serverPid), ownCpuMs()];
      const sample = await load.measure(job(planned, LOAD.secondsPerRound));
      const perRequest = 1000 / (sample.requests + sample.failures);
      rounds.get(planned.id)?.push({
        ...sample,
        cpu: (processCpuMs(planned.serverPid) - serverBefore) * perRequest,
        host: (ownCpuMs() - hostBefore) * perRequest,
      });
      onProgress(
        `round ${round}/${LOAD.rounds} ${planned.id}: ${Math.round(sample.requests / sample.seconds)} req/s`,
      );
    }
  }
  return targets.map(({ id, label }) => {
    const samples = rounds.get(id) ?? [];
    const latencies = samples.flatMap((s) => s.latenciesMs).sort((a, b) => a - b);
    const roundsServerCpuMicros = samples.map((s) => s.cpu);
    return {
      id,
      label,
      reqPerSec: median(samples.map((s) => s.requests / s.seconds)),
      roundsReqPerSec: samples.map((s) => s.requests / s.seconds),
      p50Ms: median(latencies),
      p99Ms: percentile(latencies, 99),
      requests: latencies.length,
      failures: samples.reduce((sum, s) => sum + s.failures, 0),
      serverCpuMicros: median(roundsServerCpuMicros),
      roundsServerCpuMicros,
      logDrainCpuMicros: median(samples.map((s) => s.host)),
    };
  });
}

/** `id`'s figure over `baseId`'s, round by round (both ran in every round, one after the other). */
export function perRound(
  rows: readonly Measurement[],
  id: string,
  baseId: string,
  figure: "ratio" | "cpuAbove",
): number[] | undefined {
  const [row, base] = [rows.find((r) => r.id === id), rows.find((r) => r.id === baseId)];
  if (!row || !base) return undefined;
  return figure === "ratio"
    ? row.roundsReqPerSec.map((rps, i) => rps / (base.roundsReqPerSec[i] ?? Number.NaN))
    : row.roundsServerCpuMicros.map((us, i) => us - (base.roundsServerCpuMicros[i] ?? Number.NaN));
}

/** Every target's figures under load, then the `extra` columns. */
export const loadTable = (measured: readonly Measurement[], extra: Column<Measurement>[] = []) =>
  tableOf(
    [
      ["target", (m) => m.label],
      ["req/s", (m) => int(m.reqPerSec)],
      ["p50 ms", (m) => fixed(m.p50Ms)],
      ["p99 ms", (m) => fixed(m.p99Ms)],
      ["server CPU µs/req", (m) => int(m.serverCpuMicros)],
      ["log drain µs/req", (m) => int(m.logDrainCpuMicros)],
      ["failed", (m) => String(m.failures)],
      ...extra,
    ],
    measured,
  );
