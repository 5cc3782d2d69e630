import {
  API_GZIP_LIMIT,
  BROWSER_JS_GZIP_LIMIT,
  SITE_GZIP_LIMIT,
} from "../../scripts/lib/bundle-budgets.ts";
import type { AuthOverhead, BenchReport, Goal } from "./report.ts";

const KiB = 1024;

const ratioGoal = (goal: string, value: number | undefined, minimum: number): Goal =>
  value === undefined || !Number.isFinite(value)
    ? { goal, measured: "–", met: null }
    : { goal, measured: `${value.toFixed(2)}×`, met: value >= minimum };

/** The performance targets, judged on this run's figures. */
export function evaluateGoals(report: Omit<BenchReport, "goals">): Goal[] {
  const list = report.load.find((row) => row.id === "api.list");
  const apiAuth: AuthOverhead | undefined = report.authOverhead.find((o) => o.server === "API");
  const bundle = (name: string) => report.bundles.find((b) => b.name === name);
  const sizeGoal = (goal: string, name: string, limit: number): Goal => {
    const size = bundle(name);
    return size
      ? { goal, measured: `${(size.gzipBytes / KiB).toFixed(1)} KiB`, met: size.gzipBytes < limit }
      : { goal, measured: "–", met: null };
  };
  return [
    ratioGoal("authenticated list ≥ 0.5× the bare Worker", list?.vsBaseline, 0.5),
    ratioGoal("authenticated list ≥ 3× the FastAPI peer", list?.vsPeer, 3),
    apiAuth
      ? {
          goal: "auth overhead (/api/me vs /health) < 5 %",
          measured: `${(apiAuth.median * 100).toFixed(1)} % of req/s (${(apiAuth.cpuShare * 100).toFixed(1)} % of server CPU)`,
          met: apiAuth.median < 0.05,
        }
      : { goal: "auth overhead (/api/me vs /health) < 5 %", measured: "–", met: null },
    sizeGoal("API bundle < 100 KiB gzip", "API", API_GZIP_LIMIT),
    sizeGoal("site bundle < 1 MiB gzip", "site", SITE_GZIP_LIMIT),
    sizeGoal("JavaScript on /todos ≤ 10 KiB gzip", "browser JS", BROWSER_JS_GZIP_LIMIT + 1),
  ];
}
