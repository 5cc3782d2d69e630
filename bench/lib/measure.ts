import { LOAD } from "./config.ts";
import { ownCpuMs, processCpuMs } from "./cpu.ts";
import type { LoadGenerator } from "./load.ts";
import type { LoadTarget } from "./load-target.ts";
import type { PlannedTarget } from "./plan.ts";
import { median, mergeSorted, percentile } from "./stats.ts";

export type Measurement = {
  id: string;
  /** Median of the rounds' req/s. */
  reqPerSec: number;
  roundsReqPerSec: number[];
  /** Over every successful request of every round. */
  p50Ms: number;
  p99Ms: number;
  requests: number;
  failures: number;
  /** CPU the serving process spent per request (µs): what Workers bills and limits. */
  serverCpuMicrosPerRequest: number;
  /** The same, per round: a floor measured in the same round is subtracted round by round. */
  roundsServerCpuMicros: number[];
  /** CPU this process spent per request (µs) draining the server's log lines. */
  logDrainCpuMicrosPerRequest: number;
};

/** One request first, so a broken target fails the run with its answer, not with figures. */
export async function checkTarget({ id, target }: PlannedTarget): Promise<void> {
  const response = await fetch(target.url, {
    method: target.method,
    headers: target.headers,
    body: target.body,
    signal: AbortSignal.timeout(10_000),
  });
  const body = await response.text();
  if (response.status !== target.expectStatus) {
    throw new Error(
      `${id}: ${target.method} ${target.url} answered ${response.status}: ${body.slice(0, 300)}`,
    );
  }
}

const job = (target: LoadTarget, seconds: number) => ({
  target,
  seconds,
  connections: LOAD.connections,
});

/**
 * Warms every target up once, then measures them in rounds: each round visits every target,
 * so slow drift on a shared machine lands on all targets alike instead of on the last ones.
 */
export async function measureAll(
  load: LoadGenerator,
  targets: readonly PlannedTarget[],
  onProgress: (line: string) => void,
): Promise<Measurement[]> {
  for (const planned of targets) {
    onProgress(`warm-up ${planned.id}`);
    await load.measure(job(planned.target, LOAD.warmupSeconds));
  }
  const cpu = new Map(
    targets.map((planned) => [
      planned.id,
      { server: 0, host: 0, requests: 0, rounds: [] as number[] },
    ]),
  );
  const samples = new Map(
    targets.map((planned) => [planned.id, [] as Awaited<ReturnType<LoadGenerator["measure"]>>[]]),
  );
  for (let round = 1; round <= LOAD.rounds; round++) {
    for (const planned of targets) {
      const [serverBefore, hostBefore] = [processCpuMs(planned.serverPid), ownCpuMs()];
      const sample = await load.measure(job(planned.target, LOAD.secondsPerRound));
      const spent = cpu.get(planned.id);
      if (spent) {
        const server = processCpuMs(planned.serverPid) - serverBefore;
        spent.rounds.push((server * 1000) / (sample.requests + sample.failures));
        spent.server += server;
        spent.host += ownCpuMs() - hostBefore;
        spent.requests += sample.requests + sample.failures;
      }
      samples.get(planned.id)?.push(sample);
      onProgress(
        `round ${round}/${LOAD.rounds} ${planned.id}: ${Math.round(sample.requests / sample.seconds)} req/s`,
      );
    }
  }
  return targets.map(({ id }) => {
    const rounds = samples.get(id) ?? [];
    const latencies = mergeSorted(rounds.map((sample) => sample.latenciesMs));
    const roundsReqPerSec = rounds.map((sample) => sample.requests / sample.seconds);
    const spent = cpu.get(id) ?? { server: Number.NaN, host: Number.NaN, requests: 0, rounds: [] };
    return {
      id,
      reqPerSec: median(roundsReqPerSec),
      roundsReqPerSec,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      requests: latencies.length,
      failures: rounds.reduce((sum, sample) => sum + sample.failures, 0),
      serverCpuMicrosPerRequest: (spent.server * 1000) / spent.requests,
      roundsServerCpuMicros: spent.rounds,
      logDrainCpuMicrosPerRequest: (spent.host * 1000) / spent.requests,
    };
  });
}
