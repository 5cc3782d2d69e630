/**
 * `npm run bench:geo`: the production bundles of the API and the site on workerd, each
 * behind a bench-only entry module whose D1 bindings wait as a far primary, a near read
 * replica and replication lag would. Measures a signed-in /todos view and the add-todo
 * round for a near and a far person, with read replication off and on, counts the D1
 * round trips per action, and judges the targets. Prints a table and writes
 * bench/results/geo-<date>.md and .json. Loopback only; every step is bounded.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { buildSite } from "../scripts/lib/build-site.ts";
import { buildWorker } from "../scripts/lib/build-worker.ts";
import { ROOT } from "../scripts/lib/process.ts";
import { readWorkerConfig } from "../scripts/lib/worker-config.ts";
import { Browser } from "./geo/browser.ts";
import { configure } from "./geo/control.ts";
import { cpuPerAction, type Deployment, measureSeries } from "./geo/measure.ts";
import { parseGeoOptions, USAGE } from "./geo/options.ts";
import { LARGE_TODO_COUNT, NO_DELAY, SAMPLES, scenarios } from "./geo/plan.ts";
import {
  evaluateTargets,
  type GeoReport,
  renderMarkdown,
  type ScenarioResult,
  writeGeoResults,
} from "./geo/report.ts";
import { insertManyTodos } from "./geo/seed-many.ts";
import type { SimConfig } from "./geo/worker/model.ts";
import { withSimulatedD1 } from "./geo/wrap-bundle.ts";
import { todoRowsFor } from "./lib/seed.ts";
import { apiDatabase, serveApi } from "./lib/serve-api.ts";
import { serveSite } from "./lib/serve-site.ts";
import { signUpOnSite } from "./lib/site-session.ts";

let options: ReturnType<typeof parseGeoOptions>;
try {
  options = parseGeoOptions(process.argv.slice(2));
} catch (error) {
  console.error(`${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}

process.chdir(ROOT);
const started = Date.now();
const step = (message: string) =>
  console.log(`[bench:geo ${Math.round((Date.now() - started) / 1000)} s] ${message}`);
const closers: (() => Promise<void> | void)[] = [];
const work = mkdtempSync(path.join(tmpdir(), "todo-bench-geo-"));
closers.push(() => rmSync(work, { recursive: true, force: true }));

try {
  const jwtSecret = randomBytes(48).toString("base64url");
  step("building the API and the site (wrangler deploy --dry-run, astro build)");
  const apiConfig = readWorkerConfig("wrangler.toml");
  const apiBundle = await buildWorker("wrangler.toml", apiConfig.main, path.join(work, "api"));
  const site = await buildSite(path.join(work, "site"));

  step("serving both on workerd behind the simulated D1 entry modules");
  const api = await serveApi({
    config: apiConfig,
    bundle: withSimulatedD1(apiBundle),
    jwtSecret,
    rows: [],
  });
  closers.push(api.close);
  const siteServer = await serveSite(
    { ...site, bundle: withSimulatedD1(site.bundle) },
    api.url,
    jwtSecret,
  );
  closers.push(siteServer.close);
  const deployment: Deployment = { site: siteServer, api };
  const configureBoth = (config: SimConfig) =>
    Promise.all([configure(deployment.site, config), configure(deployment.api, config)]);
  await configureBoth(NO_DELAY);

  step(`signing people up; seeding 50 todos each, ${LARGE_TODO_COUNT} for one`);
  const db = await api.miniflare.getD1Database(apiDatabase(apiConfig).binding);
  const person = async (todos: number) => {
    const { cookie, userId } = await signUpOnSite(siteServer.url);
    await insertManyTodos(db, todoRowsFor(userId, todos));
    return new Browser(siteServer.url, cookie);
  };
  const reader = await person(50);
  const largeReader = await person(LARGE_TODO_COUNT);
  step("people ready");

  const results: ScenarioResult[] = [];
  for (const scenario of scenarios(options)) {
    const writer = await person(50);
    await writer.viewTodos();
    await configureBoth(scenario.config);
    const name =
      scenario.person === "baseline"
        ? "baseline (no delays)"
        : `${scenario.person} person, replication ${scenario.replication ? "on" : "off"}`;
    step(`${name}: /todos (50 todos)`);
    const view = await measureSeries(
      deployment,
      () => reader.viewTodos(),
      SAMPLES.view,
      SAMPLES.warmup,
    );
    step(`${name}: /todos (${LARGE_TODO_COUNT} todos)`);
    const largeView = await measureSeries(
      deployment,
      () => largeReader.viewTodos(),
      SAMPLES.largeView,
      SAMPLES.largeWarmup,
    );
    step(`${name}: add-todo rounds`);
    let added = 0;
    const addRound = await measureSeries(
      deployment,
      () => writer.addTodo(`Added from afar ${++added}`),
      SAMPLES.addRound,
      SAMPLES.warmup,
    );
    results.push({ scenario, view, largeView, addRound });
    await configureBoth(NO_DELAY);
  }

  step(`server CPU per /todos view, 50 vs ${LARGE_TODO_COUNT} todos (no delays)`);
  const smallMs = await cpuPerAction(deployment, () => reader.viewTodos(), SAMPLES.cpuViews);
  const largeMs = await cpuPerAction(deployment, () => largeReader.viewTodos(), SAMPLES.cpuViews);
  const cpu = { smallMs, largeMs, ratio: largeMs / smallMs };

  const report: GeoReport = {
    date: new Date().toISOString().slice(0, 10),
    options,
    samples: SAMPLES,
    results,
    cpu,
    targets: evaluateTargets(options, results, cpu),
  };
  console.log(`\n${renderMarkdown(report)}`);
  for (const file of writeGeoResults(report, path.join(ROOT, "bench/results")))
    step(`wrote ${file}`);
} catch (error) {
  console.error(
    `\n[bench:geo] failed: ${(error as Error).message}`,
    (error as Error).cause ?? "",
    (error as Error).stack,
  );
  process.exitCode = 1;
} finally {
  for (const close of closers.reverse()) await close();
}
