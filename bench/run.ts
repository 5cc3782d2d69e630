/**
 * `npm run bench`: the API's production bundle on workerd beside the bare D1 Worker (the
 * platform's floor), the site beside its floor, all under the same
 * load in interleaved rounds; bundle sizes; the targets. Prints the report and writes
 * bench/results/<date>.md and .json. Loopback only; every step is bounded in time.
 * BENCH_ROUNDS / BENCH_SECONDS shorten a trial run.
 */
import { bundleSizes, evaluateGoals } from "./lib/goals.ts";
import { benchRun } from "./lib/harness.ts";
import { LoadGenerator } from "./lib/load.ts";
import { checkTarget, LOAD, loadTable, measureAll } from "./lib/measure.ts";
import { fixed, table, targetTable } from "./lib/report.ts";
import { seedRows, TODOS_PER_USER } from "./lib/seed.ts";
import { serveApi, serveD1ListWorker } from "./lib/serve.ts";
import { apiTargets, d1Targets, seededTokens, siteTargets } from "./lib/targets.ts";

await benchRun("bench", async (run) => {
  const { api: built, site } = await run.build();
  const bundles = bundleSizes(built.bundle, site);

  run.step("serving the API and the bare D1 Worker on workerd (fresh D1s, seeded)");
  const rows = seedRows();
  const api = run.keep(await serveApi({ ...built, jwtSecret: run.jwtSecret, rows }));
  const tokens = await seededTokens(run.jwtSecret);
  const list = await fetch(`${api.url}/api/todos`, {
    headers: { Authorization: `Bearer ${tokens.reader}` },
  });
  const listed = ((await list.json()) as { items?: unknown[] }).items?.length;
  if (listed !== TODOS_PER_USER)
    throw new Error(`the list has ${listed} items, not ${TODOS_PER_USER}`);
  const d1 = run.keep(await serveD1ListWorker(built.config, rows));
  run.step("serving the site and its floor; signing a person up");
  const served = run.keep(await siteTargets({ site, api, jwtSecret: run.jwtSecret }));
  const targets = [...apiTargets(api, tokens), ...d1Targets(d1), ...served.targets];
  for (const target of targets) await checkTarget(target);

  const load = run.keep(new LoadGenerator());
  const seconds = targets.length * (LOAD.warmupSeconds + LOAD.rounds * LOAD.secondsPerRound);
  run.step(`load: ${targets.length} targets, about ${Math.ceil(seconds / 60)} min`);
  const measured = await measureAll(load, targets, run.step);
  const goals = evaluateGoals(measured, bundles);

  const sections = [
    `autocannon, ${LOAD.connections} connections; each target warmed up ${LOAD.warmupSeconds} s, then measured in ${LOAD.rounds} interleaved rounds of ${LOAD.secondsPerRound} s. req/s and server CPU are medians of the rounds; p50/p99 over all requests. Server CPU is the serving process's user + system time per request (the Worker, its local D1 and HTTP); log drain is this process reading the server's log lines. A target is met only when every round meets it, not met when every round misses it, and within noise otherwise.`,
    "## Load",
    loadTable(measured),
    "## Targets",
    targetTable(goals),
    "## Bundles (`wrangler deploy --dry-run --outdir`)",
    table(
      ["bundle", "modules", "raw KiB", "gzip KiB", "gzip limit KiB"],
      bundles.map((b) => [
        b.name,
        String(b.modules),
        fixed(b.rawBytes / 1024, 1),
        fixed(b.gzipBytes / 1024, 1),
        fixed(b.limitGzipBytes / 1024, 1),
      ]),
    ),
  ];
  run.publish("", "Benchmark", sections, { settings: LOAD, measured, goals, bundles });
});
