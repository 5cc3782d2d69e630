import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { BundleSize } from "../../scripts/lib/bundle-size.ts";
import type { LOAD } from "./config.ts";
import type { MachineFacts } from "./machine.ts";
import type { Measurement } from "./measure.ts";
import type { PasswordResult } from "./micro-password.ts";
import type { MicroResult } from "./micro-verify.ts";
import type { Group } from "./plan.ts";

export type MeasuredRow = Measurement & {
  group: Group;
  label: string;
  baselineId: string;
  /** req/s divided by the baseline's req/s, both from this run. */
  vsBaseline: number;
  vsPeer?: number;
};

export type AuthOverhead = {
  server: string;
  /** 1 - req/s with auth ÷ req/s without, per round. */
  perRound: number[];
  median: number;
  /** Server CPU per request of /api/me minus that of /health. */
  cpuMicrosPerRequest: number;
  /** The share of /api/me's server CPU that /health does not spend. */
  cpuShare: number;
};

export type CpuBreakdown = {
  totalMicros: number;
  runtimeMicros: number;
  d1Micros: number;
  apiMicros: number;
};
/** A site page's server CPU, its floor's, and the difference: the site's own code. */
export type SiteCpu = { page: string; totalMicros: number; floorMicros: number; ownMicros: number };
/** A target, what this run measured, and what it is measured against in the same run. */
export type Goal = { goal: string; measured: string; baseline: string; met: boolean | null };
export type Skipped = { skipped: string };

export type BenchReport = {
  date: string;
  settings: typeof LOAD;
  machine: MachineFacts;
  peer: { versions: Record<string, string> } | Skipped;
  load: MeasuredRow[];
  authOverhead: AuthOverhead[];
  listCpu: CpuBreakdown | undefined;
  siteCpu: SiteCpu[];
  micro: MicroResult[];
  passwords: PasswordResult[];
  bundles: (BundleSize & { limitGzipBytes: number })[];
  site: Skipped | { note: string };
  goals: Goal[];
};

const int = (n: number) => Math.round(n).toLocaleString("en-US");
const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : "–");
const times = (n: number | undefined) => (n === undefined ? "" : `${n.toFixed(2)}×`);
const percent = (n: number) => `${(n * 100).toFixed(1)} %`;
const kib = (bytes: number) => (bytes / 1024).toFixed(1);
const table = (head: string[], rows: string[][]) =>
  [head, head.map((_, i) => (i === 0 ? "---" : "---:")), ...rows]
    .map((cells) => `| ${cells.join(" | ")} |`)
    .join("\n");

function cpuTable(cpu: CpuBreakdown): string {
  const parts: [string, number][] = [
    ["runtime floor (bare Worker: HTTP in and out)", cpu.runtimeMicros],
    ["D1 (bare D1 Worker running the same batch, minus the floor)", cpu.d1Micros],
    ["the API's own code (routing, auth, validation, ORM, JSON, logging)", cpu.apiMicros],
    ["total", cpu.totalMicros],
  ];
  return table(
    ["part", "server CPU µs/req", "share"],
    parts.map(([part, micros]) => [part, int(micros), percent(micros / cpu.totalMicros)]),
  );
}

/** The list against the floor any D1-backed route has on this machine, for reading the first target. */
function listContext(rows: readonly MeasuredRow[]): string {
  const rps = (id: string) => rows.find((row) => row.id === id)?.reqPerSec;
  const [list, d1, bare] = [rps("api.list"), rps("d1.list"), rps("bare")];
  if (!list || !d1 || !bare) return "";
  return `For context: the bare D1 Worker, running only the list's batch, reaches ${times(d1 / bare)} the bare Worker; the authenticated list reaches ${times(list / d1)} of it.`;
}

function siteCpuTable(pages: readonly SiteCpu[]): string {
  if (pages.length === 0) return "";
  return table(
    ["page", "server CPU µs/req", "its floor µs/req", "the site's own µs/req (median per round)"],
    pages.map((p) => [p.page, int(p.totalMicros), int(p.floorMicros), int(p.ownMicros)]),
  );
}

export function renderMarkdown(report: BenchReport): string {
  const { settings, machine } = report;
  const sections = [
    `# Benchmark ${report.date}`,
    `autocannon, ${settings.connections} connections; each target warmed up ${settings.warmupSeconds} s, then measured in ${settings.rounds} interleaved rounds of ${settings.secondsPerRound} s. req/s is the median of the rounds; p50/p99 are over all requests. Ratios divide by the baseline measured in the same run.`,
    "## Load",
    table(
      [
        "target",
        "req/s",
        "p50 ms",
        "p99 ms",
        "× baseline",
        "baseline",
        "× FastAPI",
        "server CPU µs/req",
        "log drain µs/req",
        "failed",
      ],
      report.load.map((row) => [
        `${row.group}: ${row.label}`,
        int(row.reqPerSec),
        ms(row.p50Ms),
        ms(row.p99Ms),
        times(row.vsBaseline),
        row.baselineId === row.id ? "itself" : row.baselineId,
        times(row.vsPeer),
        int(row.serverCpuMicrosPerRequest),
        int(row.logDrainCpuMicrosPerRequest),
        String(row.failures),
      ]),
    ),
    "Server CPU: the serving process's user + system time per request (workerd: the Worker, its local D1 and HTTP; uvicorn: all of the peer). Log drain: this process reading the server's log lines. Baseline `bare` is the bare Worker.",
    "## Auth overhead: GET /api/me (verifies the token) vs GET /health (no auth), same server",
    table(
      [
        "server",
        "req/s lost, per round",
        "median",
        "server CPU µs/req for auth",
        "share of /api/me's CPU",
      ],
      report.authOverhead.map((o) => [
        o.server,
        o.perRound.map(percent).join(", "),
        percent(o.median),
        int(o.cpuMicrosPerRequest),
        percent(o.cpuShare),
      ]),
    ),
    "## Where the authenticated list's server CPU goes",
    report.listCpu ? cpuTable(report.listCpu) : "Not measured.",
    "## Token verification in Node (same WebCrypto API as workerd)",
    table(
      ["operation", "µs/op", "ops/s", "× no-op"],
      report.micro.map((m) => [
        m.name,
        m.microsPerOp.toFixed(2),
        int(m.opsPerSec),
        times(m.microsPerOp / (report.micro[0]?.microsPerOp ?? m.microsPerOp)),
      ]),
    ),
    "## Password hashing: CPU per sign-up or sign-in (one scrypt hash)",
    table(
      ["setting", "memory MiB", "work × OWASP minimum", "Node CPU ms", "workerd CPU ms"],
      report.passwords.map((p) => [
        p.name,
        p.memoryMiB.toFixed(1),
        times(p.workVsOwasp),
        ms(p.nodeCpuMsPerHash),
        ms(p.workerdCpuMsPerHash),
      ]),
    ),
    "OWASP's minimum is N=2^17 r=8 p=1 (128 MiB, more than a Worker has); its listed equivalents trade memory for passes. CPU is the process's user + system time per hash.",
    "## Bundles (`wrangler deploy --dry-run --outdir`)",
    table(
      ["bundle", "modules", "raw KiB", "gzip KiB", "gzip limit KiB", "× limit"],
      report.bundles.map((b) => [
        b.name,
        String(b.modules),
        kib(b.rawBytes),
        kib(b.gzipBytes),
        kib(b.limitGzipBytes),
        times(b.gzipBytes / b.limitGzipBytes),
      ]),
    ),
    "## Site",
    "skipped" in report.site
      ? `Server rendering not measured: ${report.site.skipped}`
      : [
          "The site rows above: /todos server-rendered for a signed-in person (session in the site's D1, their 50 todos fetched from the API over HTTP), against /sign-in, a page of the same site that reads no data.",
          "The site floor is a bare Worker served as the site is (its static assets in front, its auth D1) that does only the platform's part of each page: for /todos one D1 read of the session joined with its user, the API's list over HTTP in parallel, then the site's page as a fixed body; for /sign-in the page's body. What the site spends above its floor is its own code: middleware, Better Auth, the API client and rendering. The API's CPU is in the API's own process and in neither figure.",
          siteCpuTable(report.siteCpu),
        ].join("\n\n"),
    "## Targets",
    table(
      ["target", "measured", "baseline (same run)", "met"],
      report.goals.map((g) => [
        g.goal,
        g.measured,
        g.baseline,
        g.met === null ? "not measured" : g.met ? "met" : "**not met**",
      ]),
    ),
    listContext(report.load),
    "## Machine",
    table(
      ["fact", "value"],
      [
        ...Object.entries(machine).map(([key, value]) => [key, String(value)]),
        ...("versions" in report.peer
          ? Object.entries(report.peer.versions).map(([key, value]) => [`peer ${key}`, value])
          : [["peer", `skipped: ${report.peer.skipped}`]]),
      ],
    ),
  ];
  return `${sections.join("\n\n")}\n`;
}

/** Writes `<dir>/<date>.json` and `.md`; returns their paths. */
export function writeResults(report: BenchReport, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const base = path.join(dir, report.date);
  writeFileSync(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(`${base}.md`, renderMarkdown(report));
  return [`${base}.json`, `${base}.md`];
}
