import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import path from "node:path";
import { ROOT, run } from "../../scripts/lib/process.ts";
import type { Verdict } from "./stats.ts";

/** What a reader needs to trust or compare a results file: the code, the machine, its load. */
export type RunFacts = {
  date: string;
  commit: string;
  /** Uncommitted changes outside bench/results when the run started. */
  dirtyTree: boolean;
  /** 1-minute load average at the start and the end of the run. */
  loadAverage: { start: number; end: number };
  /**
   * Other work on the machine: a load average at or above half the cores when the run
   * started (the end's figure includes the run's own load, so it cannot tell).
   */
  busyMachine: boolean;
  cores: number;
  cpu: string;
  memoryGiB: number;
  versions: Record<string, string>;
};

const git = (args: string[]) => run("git", args, { timeoutMs: 10_000 }).then((out) => out.trim());
const packageVersion = (name: string): string =>
  JSON.parse(readFileSync(path.join(ROOT, "node_modules", name, "package.json"), "utf8")).version;

/** Taken when a run starts; {@link finishRun} adds the load at its end. */
export async function startRun(): Promise<RunFacts> {
  const dirty = await git(["status", "--porcelain", "--", ".", ":!bench/results"]);
  const workerd = await run(path.join(ROOT, "node_modules/.bin/workerd"), ["--version"], {
    timeoutMs: 10_000,
  });
  const load = loadavg()[0] ?? Number.NaN;
  return {
    date: new Date().toISOString().slice(0, 10),
    commit: await git(["rev-parse", "--short", "HEAD"]),
    dirtyTree: dirty !== "",
    loadAverage: { start: load, end: load },
    busyMachine: load >= cpus().length / 2,
    cores: cpus().length,
    cpu: cpus()[0]?.model ?? "unknown",
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    versions: {
      node: process.version,
      workerd: workerd.trim(),
      ...Object.fromEntries(
        ["miniflare", "wrangler", "autocannon"].map((name) => [name, packageVersion(name)]),
      ),
    },
  };
}

export function finishRun(facts: RunFacts): RunFacts {
  const end = loadavg()[0] ?? Number.NaN;
  return { ...facts, loadAverage: { ...facts.loadAverage, end } };
}

/** A report's first lines: the title, flagged when the tree was dirty, then the run's facts. */
export function heading(title: string, facts: RunFacts): string {
  const dirty = facts.dirtyTree ? " — ON A DIRTY TREE (uncommitted changes)" : "";
  const load = `${facts.loadAverage.start.toFixed(2)} at the start (${facts.loadAverage.end.toFixed(2)} at the end, the run's own load included)`;
  return [
    `# ${title}, ${facts.date}${dirty}`,
    `Commit \`${facts.commit}\`${facts.dirtyTree ? " plus uncommitted changes" : ""}; ${facts.cores} cores; load average ${load}: ${facts.busyMachine ? "**taken on a busy machine** (figures are low and noisy)" : "a quiet machine"}.`,
  ].join("\n\n");
}

export const int = (n: number) =>
  Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : "–";
export const fixed = (n: number | undefined, digits = 2) =>
  n !== undefined && Number.isFinite(n) ? n.toFixed(digits) : "–";

export function table(head: string[], rows: string[][]): string {
  return [head, head.map((_, i) => (i === 0 ? "---" : "---:")), ...rows]
    .map((cells) => `| ${cells.map((cell) => cell.replaceAll("|", "\\|")).join(" | ")} |`)
    .join("\n");
}

/** A table's column: its heading and each row's cell. */
export type Column<T> = [heading: string, cell: (row: T) => string];

export const tableOf = <T>(columns: Column<T>[], rows: readonly T[]): string =>
  table(
    columns.map(([heading]) => heading),
    rows.map((row) => columns.map(([, cell]) => cell(row))),
  );

/** A target, what this run measured, what it is measured against, and the verdict. */
export type Target = {
  target: string;
  measured: string;
  baseline: string;
  verdict: Verdict | null;
};

export const targetTable = (targets: readonly Target[]) =>
  table(
    ["target", "measured", "baseline (same run)", "result"],
    targets.map((t) => [
      t.target,
      t.measured,
      t.baseline,
      t.verdict === null ? "not measured" : t.verdict === "met" ? "met" : `**${t.verdict}**`,
    ]),
  );

export const factsTable = (facts: RunFacts) =>
  table(
    ["fact", "value"],
    [
      ["commit", `${facts.commit}${facts.dirtyTree ? " (dirty tree)" : ""}`],
      ["cpu", `${facts.cpu}, ${facts.cores} cores, ${facts.memoryGiB} GiB`],
      ...Object.entries(facts.versions),
    ],
  );

/** Writes bench/results/<name>.md and .json (the report with its facts first); returns the paths. */
export function writeResults(
  name: string,
  markdown: string,
  data: { facts: RunFacts } & Record<string, unknown>,
): string[] {
  const dir = path.join(ROOT, "bench/results");
  mkdirSync(dir, { recursive: true });
  const base = path.join(dir, name);
  writeFileSync(`${base}.md`, markdown);
  writeFileSync(`${base}.json`, `${JSON.stringify(data, null, 2)}\n`);
  return [`${base}.md`, `${base}.json`];
}
