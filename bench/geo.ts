/**
 * `npm run bench:geo`: the production bundles of the API and the site on workerd, each
 * behind a bench-only entry module whose D1 bindings wait as a far primary, a near read
 * replica and replication lag would. Measures a signed-in /todos view and the add-todo
 * round for a near and a far person, with read replication off and on, counts the D1
 * round trips per action, and judges the targets. Prints the report and writes
 * bench/results/geo-<date>.md and .json. Loopback only; GEO_SAMPLES shortens a trial run.
 */
import { tokenShard } from "@todo/worker/token";
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
import { evaluateTargets, reportSections, type ScenarioResult } from "./geo/report.ts";
import { CF_HEADER, type SimConfig } from "./geo/worker/model.ts";
import { withSimulatedD1 } from "./geo/wrap-bundle.ts";
import { Browser } from "./lib/browser.ts";
import { benchRun } from "./lib/harness.ts";
import { insertTodos, todoRowsFor } from "./lib/seed.ts";
import { serveApi, serveSite } from "./lib/serve.ts";

let options: ReturnType<typeof parseGeoOptions>;
try {
  options = parseGeoOptions(process.argv.slice(2));
} catch (error) {
  console.error(`${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}

await benchRun("bench:geo", async (run) => {
  const { api: built, site } = await run.build();
  run.step("serving both on workerd behind the simulated D1 entry modules");
  const { jwtSecret } = run;
  const bundle = withSimulatedD1(built.bundle);
  const api = run.keep(await serveApi({ ...built, bundle, jwtSecret, rows: [] }));
  const simulatedSite = { ...site, bundle: withSimulatedD1(site.bundle) };
  const siteServer = run.keep(await serveSite(simulatedSite, api.url, jwtSecret));
  const deployment: Deployment = { site: siteServer, api };
  const configureBoth = (config: SimConfig) =>
    Promise.all([configure(deployment.site, config), configure(deployment.api, config)]);
  await configureBoth(NO_DELAY);

  run.step(`signing people up; seeding 50 todos each, ${LARGE_TODO_COUNT} for one`);
  const person = async (todos: number) => {
    const located = { [CF_HEADER]: JSON.stringify(HOME.cf) };
    const { browser, userId } = await Browser.signUp(siteServer.url, located);
    const token = /(?:^|; )todo_token=([^;]+)/.exec(browser.cookie)?.[1] ?? "";
    if (tokenShard(token) !== HOME.shard.id) {
      throw new Error(`a person signed up from Europe got a token for shard ${tokenShard(token)}`);
    }
    const rows = todoRowsFor(userId, todos);
    for (const db of api.databases.values()) await insertTodos(db, rows); // every shard: wherever they live
    return browser;
  };
  const reader = await person(50);
  const largeReader = await person(LARGE_TODO_COUNT);
  const series = (action: () => Promise<unknown>, count: number, warmup = SAMPLES.warmup) =>
    measureSeries(deployment, action, count, warmup);

  const results: ScenarioResult[] = [];
  for (const scenario of scenarios(options)) {
    const writer = await person(50);
    await writer.viewTodos();
    await configureBoth(scenario.config);
    run.step(`${scenario.person}, replication ${scenario.replication ? "on" : "off"}`);
    const view = await series(() => reader.viewTodos(), SAMPLES.view);
    const largeView = await series(() => largeReader.viewTodos(), SAMPLES.largeView, 1);
    let added = 0;
    const addRound = await series(
      () => writer.addTodo(`Added from afar ${++added}`),
      SAMPLES.addRound,
    );
    results.push({ scenario, view, largeView, addRound });
    await configureBoth(NO_DELAY);
  }

  run.step(`server CPU per /todos view, 50 vs ${LARGE_TODO_COUNT} todos (no delays)`);
  const cpu = { smallMs: [] as number[], largeMs: [] as number[] };
  for (let round = 0; round < SAMPLES.cpuRounds; round++) {
    cpu.smallMs.push(await cpuPerAction(deployment, () => reader.viewTodos(), 5));
    cpu.largeMs.push(await cpuPerAction(deployment, () => largeReader.viewTodos(), 5));
  }
  const targets = evaluateTargets(options, results, cpu);
  run.publish(
    "geo-",
    "Simulated global deployment (bench:geo)",
    reportSections(options, results, targets),
    { options, samples: SAMPLES, results, cpu, targets },
  );
});
