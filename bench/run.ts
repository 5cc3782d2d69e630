/**
 * `npm run bench`: the API's production bundle on workerd beside bare Workers (the
 * platform's floors), the site beside its floor, all under the same
 * load in interleaved rounds; bundle sizes; the targets. Prints the report and writes
 * bench/results/<date>.md and .json. Loopback only; every step is bounded in time.
 * BENCH_ROUNDS / BENCH_SECONDS shorten a trial run.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { mintToken } from "@todo/worker/token";
import { buildSite } from "../scripts/lib/build-site.ts";
import { buildWorker } from "../scripts/lib/build-worker.ts";
import {
  API_GZIP_LIMIT,
  BROWSER_JS_GZIP_LIMIT,
  SITE_GZIP_LIMIT,
} from "../scripts/lib/bundle-budgets.ts";
import { browserScriptsSize, bundleSize } from "../scripts/lib/bundle-size.ts";
import { ROOT } from "../scripts/lib/process.ts";
import { readWorkerConfig } from "../scripts/lib/worker-config.ts";
import { type Bundle, evaluateGoals } from "./lib/goals.ts";
import { LoadGenerator } from "./lib/load.ts";
import { checkTarget, LOAD, measureAll } from "./lib/measure.ts";
import {
  factsTable,
  finishRun,
  fixed,
  heading,
  int,
  startRun,
  table,
  targetTable,
  writeResults,
} from "./lib/report.ts";
import { seedRows, TODOS_PER_USER, USERS } from "./lib/seed.ts";
import { serveApi, serveBareWorker, serveD1ListWorker } from "./lib/serve.ts";
import { apiTargets, NEW_TODO, type PlannedTarget, siteTargets } from "./lib/targets.ts";

process.chdir(ROOT);
const step = (message: string) => console.log(`[bench] ${message}`);
const closers: (() => Promise<void> | void)[] = [];
const work = mkdtempSync(path.join(tmpdir(), "todo-bench-"));
closers.push(() => rmSync(work, { recursive: true, force: true }));

try {
  const started = await startRun();
  if (started.dirtyTree) step("the tree has uncommitted changes: the report will say so");
  // A fresh secret per run: no token from .dev.vars is ever valid against these servers.
  const jwtSecret = randomBytes(48).toString("base64url");
  step("building the API and the site as they deploy (wrangler deploy --dry-run, astro build)");
  const apiConfig = readWorkerConfig("wrangler.toml");
  const apiBundle = await buildWorker("wrangler.toml", apiConfig.main, path.join(work, "api"));
  const site = await buildSite(path.join(work, "site"));
  const bundles: Bundle[] = [
    { ...bundleSize("API", apiBundle), limitGzipBytes: API_GZIP_LIMIT },
    { ...bundleSize("site", site.bundle), limitGzipBytes: SITE_GZIP_LIMIT },
    { ...browserScriptsSize(site.assetsDir), limitGzipBytes: BROWSER_JS_GZIP_LIMIT },
  ];

  step("serving the API, the bare Worker and the bare D1 Worker on workerd (fresh D1s, seeded)");
  const rows = seedRows();
  const api = await serveApi({ config: apiConfig, bundle: apiBundle, jwtSecret, rows });
  closers.push(api.close);
  const tokens = {
    reader: (await mintToken(USERS.reader, jwtSecret)).token,
    writer: (await mintToken(USERS.writer, jwtSecret)).token,
  };
  const listBody = await (
    await fetch(`${api.url}/api/todos`, { headers: { Authorization: `Bearer ${tokens.reader}` } })
  ).text();
  const listed = (JSON.parse(listBody) as { items?: unknown[] }).items?.length;
  if (listed !== TODOS_PER_USER)
    throw new Error(`the list has ${listed} items, not ${TODOS_PER_USER}`);
  const bare = await serveBareWorker(apiConfig, listBody);
  closers.push(bare.close);
  const d1 = await serveD1ListWorker(apiConfig, rows);
  closers.push(d1.close);

  const targets: PlannedTarget[] = [
    ...apiTargets("api", "API", api, tokens),
    {
      id: "bare",
      label: `bare Worker: the list's ${listBody.length}-byte body`,
      target: { url: `${bare.url}/`, method: "GET", expectStatus: 200 },
      serverPid: bare.pid,
    },
    {
      id: "d1.list",
      label: "bare D1 Worker: the list's batch",
      target: { url: `${d1.url}/`, method: "GET", expectStatus: 200 },
      serverPid: d1.pid,
    },
    {
      id: "d1.create",
      label: "bare D1 Worker: the create's insert",
      target: {
        url: `${d1.url}/`,
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: NEW_TODO,
        expectStatus: 201,
      },
      serverPid: d1.pid,
    },
  ];
  step("serving the site and its floor; signing a person up");
  const served = await siteTargets({ site, api, jwtSecret });
  closers.push(served.close);
  targets.push(...served.targets);
  for (const target of targets) await checkTarget(target);

  const load = new LoadGenerator();
  closers.push(() => load.close());
  const seconds = targets.length * (LOAD.warmupSeconds + LOAD.rounds * LOAD.secondsPerRound);
  step(`load: ${targets.length} targets, about ${Math.ceil(seconds / 60)} min`);
  const measured = await measureAll(load, targets, step);
  const goals = evaluateGoals(measured, bundles);
  const facts = finishRun(started);

  const markdown = [
    heading("Benchmark", facts),
    `autocannon, ${LOAD.connections} connections; each target warmed up ${LOAD.warmupSeconds} s, then measured in ${LOAD.rounds} interleaved rounds of ${LOAD.secondsPerRound} s. req/s and server CPU are medians of the rounds; p50/p99 over all requests. Server CPU is the serving process's user + system time per request (the Worker, its local D1 and HTTP); log drain is this process reading the server's log lines. A target is met only when every round meets it, not met when every round misses it, and within noise otherwise.`,
    "## Load",
    table(
      ["target", "req/s", "p50 ms", "p99 ms", "server CPU µs/req", "log drain µs/req", "failed"],
      measured.map((m) => [
        m.label,
        int(m.reqPerSec),
        fixed(m.p50Ms),
        fixed(m.p99Ms),
        int(m.serverCpuMicros),
        int(m.logDrainCpuMicros),
        String(m.failures),
      ]),
    ),
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
    "## Machine",
    factsTable(facts),
  ].join("\n\n");
  console.log(`\n${markdown}`);
  const report = { facts, settings: LOAD, measured, goals, bundles };
  for (const file of writeResults(facts.date, `${markdown}\n`, report)) step(`wrote ${file}`);
} catch (error) {
  console.error(`\n[bench] failed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  for (const close of closers.reverse()) await close();
}
