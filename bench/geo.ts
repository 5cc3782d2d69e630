/**
 * `npm run bench:geo`: the production bundles of the API and the site on workerd, each
 * behind a bench-only entry module whose D1 bindings wait as a far primary, a near read
 * replica and replication lag would. Measures a signed-in /todos view and the add-todo
 * round for a near and a far person, with read replication off and on, counts the D1
 * round trips per action, and judges the targets. Prints the report and writes
 * bench/results/geo-<date>.md and .json. Loopback only; GEO_SAMPLES shortens a trial run.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { tokenShard } from "@todo/worker/token";
import { buildSite } from "../scripts/lib/build-site.ts";
import { buildWorker } from "../scripts/lib/build-worker.ts";
import { ROOT } from "../scripts/lib/process.ts";
import { readWorkerConfig } from "../scripts/lib/worker-config.ts";
import { configure, cpuPerAction, type Deployment, measureSeries } from "./geo/measure.ts";
import {
  HOME,
  LARGE_TODO_COUNT,
  NO_DELAY,
  parseGeoOptions,
  SAMPLES,
  scenarios,
  USAGE,
} from "./geo/plan.ts";
import {
  evaluateTargets,
  type GeoReport,
  renderMarkdown,
  type ScenarioResult,
} from "./geo/report.ts";
import { CF_HEADER, type SimConfig } from "./geo/worker/model.ts";
import { withSimulatedD1 } from "./geo/wrap-bundle.ts";
import { Browser } from "./lib/browser.ts";
import { finishRun, startRun, writeResults } from "./lib/report.ts";
import { insertTodos, todoRowsFor } from "./lib/seed.ts";
import { serveApi, serveSite } from "./lib/serve.ts";

let options: ReturnType<typeof parseGeoOptions>;
try {
  options = parseGeoOptions(process.argv.slice(2));
} catch (error) {
  console.error(`${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}

process.chdir(ROOT);
const began = Date.now();
const step = (message: string) =>
  console.log(`[bench:geo ${Math.round((Date.now() - began) / 1000)} s] ${message}`);
const closers: (() => Promise<void> | void)[] = [];
const work = mkdtempSync(path.join(tmpdir(), "todo-bench-geo-"));
closers.push(() => rmSync(work, { recursive: true, force: true }));

try {
  const started = await startRun();
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
  const person = async (todos: number) => {
    const located = { [CF_HEADER]: JSON.stringify(HOME.cf) };
    const { browser, userId } = await Browser.signUp(siteServer.url, located);
    const token = /(?:^|; )todo_token=([^;]+)/.exec(browser.cookie)?.[1] ?? "";
    if (tokenShard(token) !== HOME.shard.id) {
      throw new Error(`a person signed up from Europe got a token for shard ${tokenShard(token)}`);
    }
    const rows = todoRowsFor(userId, todos);
    for (const db of await api.d1()) await insertTodos(db, rows); // every shard: wherever they live
    return browser;
  };
  const reader = await person(50);
  const largeReader = await person(LARGE_TODO_COUNT);

  const results: ScenarioResult[] = [];
  for (const scenario of scenarios(options)) {
    const writer = await person(50);
    await writer.viewTodos();
    await configureBoth(scenario.config);
    step(`${scenario.person}, replication ${scenario.replication ? "on" : "off"}`);
    const view = await measureSeries(
      deployment,
      () => reader.viewTodos(),
      SAMPLES.view,
      SAMPLES.warmup,
    );
    const largeView = await measureSeries(
      deployment,
      () => largeReader.viewTodos(),
      SAMPLES.largeView,
      1,
    );
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
  const cpu = { smallMs: [] as number[], largeMs: [] as number[] };
  for (let round = 0; round < SAMPLES.cpuRounds; round++) {
    cpu.smallMs.push(await cpuPerAction(deployment, () => reader.viewTodos(), 5));
    cpu.largeMs.push(await cpuPerAction(deployment, () => largeReader.viewTodos(), 5));
  }
  const facts = finishRun(started);
  const report: GeoReport = {
    facts,
    options,
    samples: SAMPLES,
    results,
    cpu,
    targets: evaluateTargets(options, results, cpu),
  };
  const markdown = renderMarkdown(report);
  console.log(`\n${markdown}`);
  for (const file of writeResults(`geo-${facts.date}`, `${markdown}\n`, report))
    step(`wrote ${file}`);
} catch (error) {
  console.error(`\n[bench:geo] failed: ${(error as Error).message}`, (error as Error).stack);
  process.exitCode = 1;
} finally {
  for (const close of closers.reverse()) await close();
}
