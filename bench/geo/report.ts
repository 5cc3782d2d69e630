import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Series } from "./measure.ts";
import type { GeoOptions } from "./options.ts";
import { LARGE_TODO_COUNT, type SAMPLES, type Scenario } from "./plan.ts";

export type ScenarioResult = {
  scenario: Scenario;
  view: Series;
  largeView: Series;
  addRound: Series;
};

export type Target = { name: string; limit: string; measured: string; met: boolean };

export type GeoReport = {
  date: string;
  options: GeoOptions;
  samples: typeof SAMPLES;
  results: ScenarioResult[];
  cpu: { smallMs: number; largeMs: number; ratio: number };
  targets: Target[];
};

const ms = (value: number) => `${Math.round(value)} ms`;

/** The targets, judged on the far person with replication on. */
export function evaluateTargets(
  options: GeoOptions,
  results: ScenarioResult[],
  cpu: GeoReport["cpu"],
): Target[] {
  const far = results.find(
    (result) => result.scenario.person === "far" && result.scenario.replication,
  );
  if (!far) throw new Error("no far-person run with replication on");
  const viewLimit = options.replicaRttMs + 30;
  const addLimit = options.primaryRttMs + options.replicaRttMs + options.lagMs + 50;
  const trips = (series: Series) =>
    `${series.sequentialRoundTrips} on the critical path (${series.roundTrips} in all)`;
  return [
    {
      name: "far person, /todos p50",
      limit: `≤ ${ms(viewLimit)}`,
      measured: ms(far.view.p50Ms),
      met: far.view.p50Ms <= viewLimit,
    },
    {
      name: "far person, add-todo round p50",
      limit: `≤ ${ms(addLimit)}`,
      measured: ms(far.addRound.p50Ms),
      met: far.addRound.p50Ms <= addLimit,
    },
    {
      name: "D1 round trips per /todos view, 50 todos",
      limit: "= 1",
      measured: trips(far.view),
      met: far.view.sequentialRoundTrips === 1,
    },
    {
      name: `D1 round trips per /todos view, ${LARGE_TODO_COUNT.toLocaleString("en")} todos`,
      limit: "= 1",
      measured: trips(far.largeView),
      met: far.largeView.sequentialRoundTrips === 1,
    },
    {
      name: `/todos server CPU, ${LARGE_TODO_COUNT.toLocaleString("en")} vs 50 todos`,
      limit: "≤ 1.3×",
      measured: `${cpu.ratio.toFixed(2)}× (${cpu.largeMs.toFixed(1)} vs ${cpu.smallMs.toFixed(1)} ms)`,
      met: cpu.ratio <= 1.3,
    },
  ];
}

const row = (cells: (string | number)[]) => `| ${cells.join(" | ")} |`;

function seriesCells(series: Series): string[] {
  return [
    `${ms(series.p50Ms)} / ${ms(series.p95Ms)}`,
    `${series.sequentialRoundTrips} (${series.roundTrips}: ${series.primaryRoundTrips}P ${series.replicaRoundTrips}R)`,
  ];
}

function traceSection(title: string, series: Series | undefined): string[] {
  if (!series) return [];
  return [
    `${title} (ms from the first):`,
    "",
    row(["start", "took", "Worker", "served by", "lag wait", "statement"]),
    row(["---:", "---:", "---", "---", "---:", "---"]),
    ...series.trace.map((entry) =>
      row([
        entry.startMs,
        entry.durationMs,
        entry.worker,
        entry.served,
        entry.lagWaitMs,
        `\`${entry.sql.replaceAll("|", "\\|").replaceAll("`", "'")}\``,
      ]),
    ),
    "",
  ];
}

const farWithReplication = (results: ScenarioResult[]) =>
  results.find((result) => result.scenario.person === "far" && result.scenario.replication);

export function renderMarkdown(report: GeoReport): string {
  const { options } = report;
  const far = farWithReplication(report.results);
  const large = LARGE_TODO_COUNT.toLocaleString("en");
  return [
    `# Simulated global deployment, ${report.date}`,
    "",
    `Primary RTT ${options.primaryRttMs} ms, replica RTT ${options.replicaRttMs} ms, replica lag ${options.lagMs} ms. ` +
      `The near person's Worker is a replica RTT from the primary. ${report.samples.view} views of 50 todos, ` +
      `${report.samples.largeView} of ${large}, ${report.samples.addRound} add rounds per run, one at a time, after ${report.samples.warmup} unmeasured.`,
    "",
    "Latency is p50 / p95. D1 round trips per action (median, site and API together): on the critical path, then (all of them: to the primary P, to a replica R).",
    "",
    row([
      "person",
      "replication",
      "/todos, 50 todos",
      "round trips",
      `/todos, ${large} todos`,
      "round trips",
      "add round (POST → 303 → GET)",
      "round trips",
    ]),
    row(Array(8).fill("---")),
    ...report.results.map((result) =>
      row([
        result.scenario.person === "baseline" ? "baseline (no delays)" : result.scenario.person,
        result.scenario.person === "baseline" ? "—" : result.scenario.replication ? "on" : "off",
        ...seriesCells(result.view),
        ...seriesCells(result.largeView),
        ...seriesCells(result.addRound),
      ]),
    ),
    "",
    `Server CPU per /todos view (site and API workerd, no delays, ${report.samples.cpuViews} views each): ` +
      `${report.cpu.smallMs.toFixed(1)} ms at 50 todos, ${report.cpu.largeMs.toFixed(1)} ms at ${large}.`,
    "",
    ...traceSection(
      "Round trips of one /todos view (50 todos), far person, replication on",
      far?.view,
    ),
    ...traceSection("Round trips of one add round, far person, replication on", far?.addRound),
    row(["target", "limit", "measured", "result"]),
    row(["---", "---", "---", "---"]),
    ...report.targets.map((target) =>
      row([target.name, target.limit, target.measured, target.met ? "met" : "not met"]),
    ),
    "",
  ].join("\n");
}

/** Writes bench/results/geo-<date>.md and .json; returns their paths. */
export function writeGeoResults(report: GeoReport, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const base = path.join(dir, `geo-${report.date}`);
  writeFileSync(`${base}.md`, renderMarkdown(report));
  writeFileSync(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
  return [`${base}.md`, `${base}.json`];
}
