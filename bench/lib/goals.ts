import type { BuiltSite } from "../../scripts/lib/build-site.ts";
import type { WorkerBundle } from "../../scripts/lib/build-worker.ts";
import {
  API_GZIP_LIMIT,
  BROWSER_JS_GZIP_LIMIT,
  SITE_GZIP_LIMIT,
} from "../../scripts/lib/bundle-budgets.ts";
import { type BundleSize, browserScriptsSize, bundleSize } from "../../scripts/lib/bundle-size.ts";
import { type Measurement, perRound } from "./measure.ts";
import { fixed, int, type Target } from "./report.ts";
import { judge, median } from "./stats.ts";

export type Bundle = BundleSize & { limitGzipBytes: number };

/** The API's and the site's bundles, and the site's JavaScript for browsers, with their budgets. */
export const bundleSizes = (api: WorkerBundle, site: BuiltSite): Bundle[] => [
  { ...bundleSize("API", api), limitGzipBytes: API_GZIP_LIMIT },
  { ...bundleSize("site", site.bundle), limitGzipBytes: SITE_GZIP_LIMIT },
  { ...browserScriptsSize(site.assetsDir), limitGzipBytes: BROWSER_JS_GZIP_LIMIT },
];

const rounds = (values: number[], format: (n: number) => string) =>
  `rounds ${values.map(format).join(", ")}`;
const times = (n: number) => `${fixed(n)}×`;

/**
 * The performance targets, each judged round by round against a baseline measured in the
 * same rounds: met only when every round meets it (stats.ts `judge`).
 */
export function evaluateGoals(rows: readonly Measurement[], bundles: readonly Bundle[]): Target[] {
  const row = (id: string) => rows.find((r) => r.id === id);
  const notMeasured = (target: string): Target => ({
    target,
    measured: "–",
    baseline: "–",
    verdict: null,
  });

  const faster = (target: string, id: string, baseId: string, atLeast: number): Target => {
    const ratios = perRound(rows, id, baseId, "ratio");
    const base = row(baseId);
    if (!ratios || !base) return notMeasured(target);
    return {
      target,
      measured: `${times(median(ratios))} (${rounds(ratios, times)})`,
      baseline: `${base.label}: ${int(base.reqPerSec)} req/s`,
      verdict: judge(ratios, { atLeast }),
    };
  };
  const ownCpu = (target: string, id: string, floorId: string, atMost: number): Target => {
    const above = perRound(rows, id, floorId, "cpuAbove");
    const floor = row(floorId);
    if (!above || !floor) return notMeasured(target);
    return {
      target,
      measured: `${int(median(above))} µs (${rounds(above, int)})`,
      baseline: `${floor.label}: ${int(floor.serverCpuMicros)} µs`,
      verdict: judge(above, { atMost }),
    };
  };
  const size = (target: string, name: string, limit: number): Target => {
    const bundle = bundles.find((b) => b.name === name);
    if (!bundle) return notMeasured(target);
    return {
      target,
      measured: `${fixed(bundle.gzipBytes / 1024, 1)} KiB gzip`,
      baseline: `limit ${fixed(limit / 1024, 0)} KiB`,
      verdict: bundle.gzipBytes < limit ? "met" : "not met",
    };
  };

  return [
    faster("authenticated list (50 items) ≥ 0.95× the bare D1 Worker", "api.list", "d1.list", 0.95),
    ownCpu("the API's own CPU per list ≤ 120 µs", "api.list", "d1.list", 120),
    ownCpu("the API's own CPU per POST ≤ 120 µs", "api.create", "d1.create", 120),
    ownCpu("token check ≤ 15 µs CPU (/api/me − /health, workerd)", "api.me", "api.health", 15),
    ownCpu("site /todos: the site's own CPU ≤ 2 ms", "site.todos", "site-floor.todos", 2_000),
    faster("site /todos ≥ 0.5× the req/s of /sign-in", "site.todos", "site.sign-in", 0.5),
    size("API bundle < 100 KiB gzip", "API", API_GZIP_LIMIT),
    size("site bundle < 1 MiB gzip", "site", SITE_GZIP_LIMIT),
    size("JavaScript on /todos ≤ 10 KiB gzip", "browser JS", BROWSER_JS_GZIP_LIMIT + 1),
  ];
}
