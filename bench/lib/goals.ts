import {
  API_GZIP_LIMIT,
  BROWSER_JS_GZIP_LIMIT,
  SITE_GZIP_LIMIT,
} from "../../scripts/lib/bundle-budgets.ts";
import { cpuAboveFloor } from "./analysis.ts";
import type { BenchReport, Goal, MeasuredRow } from "./report.ts";

const KiB = 1024;
/** The API's own CPU per request: its server CPU less the bare D1 Worker's for the same statements. */
const OWN_CPU_LIMIT_MICROS = 120;
const TOKEN_CHECK_LIMIT_MICROS = 15;
/** The site's own CPU per /todos: its server CPU less the site floor's (same D1 read, API call, bytes). */
const SITE_TODOS_CPU_LIMIT_MICROS = 2_000;

const int = (n: number) => Math.round(n).toLocaleString("en-US");
const rps = (row: MeasuredRow) => `${int(row.reqPerSec)} req/s`;
const cpu = (row: MeasuredRow) => `${int(row.serverCpuMicrosPerRequest)} µs CPU`;
const notMeasured = (goal: string): Goal => ({ goal, measured: "–", baseline: "–", met: null });

/** The performance targets, each judged on this run's figures beside the baseline it is measured against. */
export function evaluateGoals(report: Omit<BenchReport, "goals">): Goal[] {
  const row = (id: string) => report.load.find((r) => r.id === id);

  const faster = (goal: string, id: string, baselineId: string, name: string, min: number) => {
    const [measured, baseline] = [row(id), row(baselineId)];
    if (!measured || !baseline) return notMeasured(goal);
    const ratio = measured.reqPerSec / baseline.reqPerSec;
    return {
      goal,
      measured: `${rps(measured)} = ${ratio.toFixed(2)}×`,
      baseline: `${name}: ${rps(baseline)}`,
      met: ratio >= min,
    };
  };

  const ownCpu = (goal: string, id: string, floorId: string, floorName: string, limit: number) => {
    const [measured, floor] = [row(id), row(floorId)];
    const own = cpuAboveFloor(report.load, id, floorId);
    if (!measured || !floor || own === undefined) return notMeasured(goal);
    return {
      goal,
      measured: `${int(own)} µs own (${cpu(measured)} in all)`,
      baseline: `${floorName}: ${cpu(floor)}`,
      met: own <= limit,
    };
  };

  const tokenCheck = (): Goal => {
    const goal = `token check ≤ ${TOKEN_CHECK_LIMIT_MICROS} µs CPU per request`;
    const cached = report.micro.find((m) => m.name.startsWith("API token check, cached"));
    const uncached = report.micro.find((m) => m.name.startsWith("verifyToken"));
    const auth = report.authOverhead.find((o) => o.server === "API");
    if (!cached) return notMeasured(goal);
    return {
      goal,
      measured: `${cached.microsPerOp.toFixed(1)} µs (a token seen before, Node)`,
      baseline: [
        uncached ? `full verification: ${uncached.microsPerOp.toFixed(1)} µs` : "",
        auth ? `/api/me − /health on workerd: ${int(auth.cpuMicrosPerRequest)} µs` : "",
      ]
        .filter(Boolean)
        .join("; "),
      met: cached.microsPerOp <= TOKEN_CHECK_LIMIT_MICROS,
    };
  };

  const siteThroughput = (): Goal => {
    const goal = "site /todos ≥ 0.5× the req/s of /sign-in";
    const judged = faster(goal, "site.todos", "site.sign-in", "/sign-in", 0.5);
    const [floorTodos, floorSignIn] = [row("site-floor.todos"), row("site-floor.sign-in")];
    if (!floorTodos || !floorSignIn) return judged;
    const floors = floorTodos.reqPerSec / floorSignIn.reqPerSec;
    return { ...judged, baseline: `${judged.baseline}; their floors: ${floors.toFixed(2)}×` };
  };

  const size = (goal: string, name: string, limit: number): Goal => {
    const bundle = report.bundles.find((b) => b.name === name);
    if (!bundle) return notMeasured(goal);
    return {
      goal,
      measured: `${(bundle.gzipBytes / KiB).toFixed(1)} KiB gzip`,
      baseline: `limit ${(limit / KiB).toFixed(0)} KiB`,
      met: bundle.gzipBytes < limit,
    };
  };

  return [
    faster(
      "authenticated GET /api/todos (50 items) ≥ 0.95× the bare D1 Worker",
      "api.list",
      "d1.list",
      "bare D1 Worker, same batch",
      0.95,
    ),
    faster(
      "authenticated GET /api/todos never below the FastAPI peer",
      "api.list",
      "peer.list",
      "FastAPI",
      1,
    ),
    ownCpu(
      `the API's own CPU per list ≤ ${OWN_CPU_LIMIT_MICROS} µs`,
      "api.list",
      "d1.list",
      "bare D1 Worker",
      OWN_CPU_LIMIT_MICROS,
    ),
    ownCpu(
      `the API's own CPU per POST ≤ ${OWN_CPU_LIMIT_MICROS} µs`,
      "api.create",
      "d1.create",
      "bare D1 Worker",
      OWN_CPU_LIMIT_MICROS,
    ),
    tokenCheck(),
    ownCpu(
      `site /todos (signed in, 50 todos): the site's own CPU ≤ ${SITE_TODOS_CPU_LIMIT_MICROS / 1000} ms`,
      "site.todos",
      "site-floor.todos",
      "site floor (same D1 read, API call and bytes)",
      SITE_TODOS_CPU_LIMIT_MICROS,
    ),
    siteThroughput(),
    size("API bundle < 100 KiB gzip", "API", API_GZIP_LIMIT),
    size("site bundle < 1 MiB gzip", "site", SITE_GZIP_LIMIT),
    size("JavaScript on /todos ≤ 10 KiB gzip", "browser JS", BROWSER_JS_GZIP_LIMIT + 1),
  ];
}
