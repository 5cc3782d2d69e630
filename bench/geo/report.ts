import { type Target, table, targetTable } from "../lib/report.ts";
import { judge, judgeMedian, median } from "../lib/stats.ts";
import type { Series } from "./measure.ts";
import { type GeoOptions, HOME, LARGE_TODO_COUNT, SAMPLES, type Scenario } from "./plan.ts";

export type ScenarioResult = {
  scenario: Scenario;
  view: Series;
  largeView: Series;
  addRound: Series;
};
/** Server CPU per view at 5,000 and at 50 todos, per round. */
export type CpuRounds = { smallMs: number[]; largeMs: number[] };

const ms = (value: number) => `${Math.round(value)} ms`;
const large = LARGE_TODO_COUNT.toLocaleString("en");
const name = ({ person, replication }: Scenario) =>
  person === "baseline"
    ? "baseline (no delays)"
    : `${person}, replication ${replication ? "on" : "off"}`;
const farReplicated = (results: ScenarioResult[]) =>
  results.find((r) => r.scenario.person === "far" && r.scenario.replication);
const homedNear = (results: ScenarioResult[]) =>
  results.find((r) => r.scenario.person === "far, homed near");

/** The targets, judged on the far person with replication on. */
export function evaluateTargets(
  options: GeoOptions,
  results: ScenarioResult[],
  cpu: CpuRounds,
): Target[] {
  const far = farReplicated(results);
  if (!far) throw new Error("no far-person run with replication on");
  const p50 = (target: string, series: Series, limit: number): Target => ({
    target: `${target} p50 ≤ ${ms(limit)}`,
    measured: `${ms(series.p50Ms)} (p95 ${ms(series.p95Ms)}, ${series.samplesMs.length} samples)`,
    baseline: "95 % interval of the median must clear the limit",
    verdict: judgeMedian(series.samplesMs, limit),
  });
  const oneTrip = (target: string, series: Series): Target => ({
    target,
    measured: `${series.sequentialRoundTrips} on the critical path (${series.roundTrips} in all)`,
    baseline: "= 1",
    verdict: series.sequentialRoundTrips === 1 ? "met" : "not met",
  });
  const ratios = cpu.largeMs.map((largeMs, i) => largeMs / (cpu.smallMs[i] ?? Number.NaN));
  const near = homedNear(results);
  const { primaryRttMs, replicaRttMs, lagMs, shardRttMs } = options;
  return [
    ...(near
      ? [
          p50("far person homed near, /todos", near.view, replicaRttMs + 30),
          p50(
            "far person homed near, add-todo round",
            near.addRound,
            shardRttMs + replicaRttMs + lagMs + 50,
          ),
        ]
      : []),
    p50("far person homed far, /todos", far.view, replicaRttMs + 30),
    p50(
      "far person homed far, add-todo round",
      far.addRound,
      primaryRttMs + replicaRttMs + lagMs + 50,
    ),
    oneTrip("D1 round trips per /todos view, 50 todos", far.view),
    oneTrip(`D1 round trips per /todos view, ${large} todos`, far.largeView),
    {
      target: `/todos server CPU, ${large} vs 50 todos ≤ 1.3×`,
      measured: `${median(ratios).toFixed(2)}× (rounds ${ratios.map((r) => r.toFixed(2)).join(", ")})`,
      baseline: `${median(cpu.smallMs).toFixed(1)} ms at 50 todos`,
      verdict: judge(ratios, { atMost: 1.3 }),
    },
  ];
}

const trips = (s: Series) =>
  `${s.sequentialRoundTrips} (${s.roundTrips}: ${s.primaryRoundTrips}P ${s.replicaRoundTrips}R)`;

function trace(title: string, series: Series | undefined): string {
  if (!series) return "";
  return `${title} (ms from the first):\n\n${table(
    ["start", "took", "Worker, binding", "served by", "lag wait", "statement"],
    series.trace.map((t) => [
      String(t.startMs),
      String(t.durationMs),
      `${t.worker} ${t.binding}`,
      t.served,
      String(t.lagWaitMs),
      `\`${t.sql.replaceAll("`", "'")}\``,
    ]),
  )}`;
}

/** The report's sections: the settings, one row per scenario, traces of the far person. */
export function reportSections(
  options: GeoOptions,
  results: ScenarioResult[],
  targets: Target[],
): string[] {
  const far = farReplicated(results);
  return [
    `Primary RTT ${options.primaryRttMs} ms, replica RTT ${options.replicaRttMs} ms, replica lag ${options.lagMs} ms, a near shard ${options.shardRttMs} ms. Everyone is homed on the \`${HOME.shard.id}\` shard: far away for the far person, near for the far person homed near. The near person's Worker is a replica RTT from the primary. ${SAMPLES.view} views of 50 todos, ${SAMPLES.largeView} of ${large}, ${SAMPLES.addRound} add rounds per run, one at a time, after ${SAMPLES.warmup} unmeasured. Latency is p50 / p95; D1 round trips per action (median, site and API together) on the critical path, then all of them (to the primary P, to a replica R).`,
    table(
      [
        "person",
        "/todos, 50 todos",
        "round trips",
        `/todos, ${large} todos`,
        "round trips",
        "add round (POST → 303 → GET)",
        "round trips",
      ],
      results.map(({ scenario, view, largeView, addRound }) => [
        name(scenario),
        ...[view, largeView, addRound].flatMap((s) => [
          `${ms(s.p50Ms)} / ${ms(s.p95Ms)}`,
          trips(s),
        ]),
      ]),
    ),
    trace(
      "Round trips of one /todos view (50 todos), far person homed far, replication on",
      far?.view,
    ),
    trace("Round trips of one add round, far person homed far, replication on", far?.addRound),
    trace("Round trips of one add round, far person homed near", homedNear(results)?.addRound),
    "## Targets",
    targetTable(targets),
  ];
}
