/**
 * `npm run bench`: the API's production bundle on workerd next to bare Workers (the
 * platform's limit) and the FastAPI peer, under the same load; the cost of token
 * verification; bundle sizes; the site. Prints a table and writes
 * bench/results/<date>.json and .md. Loopback only; every step is bounded in time.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { mintToken } from "@todo/worker/token";
import { type BuiltSite, buildSite } from "../scripts/lib/build-site.ts";
import { buildWorker } from "../scripts/lib/build-worker.ts";
import {
  API_GZIP_LIMIT,
  BROWSER_JS_GZIP_LIMIT,
  SITE_GZIP_LIMIT,
} from "../scripts/lib/bundle-budgets.ts";
import { browserScriptsSize, bundleSize } from "../scripts/lib/bundle-size.ts";
import { ROOT } from "../scripts/lib/process.ts";
import { readWorkerConfig } from "../scripts/lib/worker-config.ts";
import { authOverhead, listCpuBreakdown, measuredRows, siteCpuBreakdown } from "./lib/analysis.ts";
import { LOAD, TODOS_PER_USER, USERS } from "./lib/config.ts";
import { evaluateGoals } from "./lib/goals.ts";
import { LoadGenerator } from "./lib/load.ts";
import { machineFacts } from "./lib/machine.ts";
import { checkTarget, measureAll } from "./lib/measure.ts";
import { microPassword } from "./lib/micro-password.ts";
import { microVerify } from "./lib/micro-verify.ts";
import { ensurePeerPackages } from "./lib/peer-packages.ts";
import { apiTargets, NEW_TODO, type PlannedTarget } from "./lib/plan.ts";
import { type BenchReport, renderMarkdown, writeResults } from "./lib/report.ts";
import { seedRows } from "./lib/seed.ts";
import { apiDatabase, serveApi } from "./lib/serve-api.ts";
import { serveBareWorker, serveD1ListWorker } from "./lib/serve-baseline.ts";
import { servePeer } from "./lib/serve-peer.ts";
import { siteTargets } from "./lib/site-targets.ts";

process.chdir(ROOT);
const step = (message: string) => console.log(`[bench] ${message}`);
const closers: (() => Promise<void> | void)[] = [];
const work = mkdtempSync(path.join(tmpdir(), "todo-bench-"));
closers.push(() => rmSync(work, { recursive: true, force: true }));
const firstLine = (error: unknown) => (error as Error).message.split("\n")[0] ?? "";

try {
  const machine = await machineFacts();
  // A fresh secret per run: no token from .dev.vars is ever valid against these servers.
  const jwtSecret = randomBytes(48).toString("base64url");

  step("building the API's production bundle (wrangler deploy --dry-run)");
  const apiConfig = readWorkerConfig("wrangler.toml");
  const apiBundle = await buildWorker("wrangler.toml", apiConfig.main, path.join(work, "api"));
  const bundles = [{ ...bundleSize("API", apiBundle), limitGzipBytes: API_GZIP_LIMIT }];

  step("building the site (astro build, then wrangler deploy --dry-run)");
  let site: BenchReport["site"] = { note: "measured: see the site rows above" };
  let builtSite: BuiltSite | undefined;
  try {
    builtSite = await buildSite(path.join(work, "site"));
    bundles.push({ ...bundleSize("site", builtSite.bundle), limitGzipBytes: SITE_GZIP_LIMIT });
    bundles.push({
      ...browserScriptsSize(builtSite.assetsDir),
      limitGzipBytes: BROWSER_JS_GZIP_LIMIT,
    });
  } catch (error) {
    site = { skipped: `site not built: ${firstLine(error)}` };
    step(site.skipped);
  }

  step("serving the API on workerd with a fresh D1 (real migrations, seeded users)");
  const rows = seedRows();
  const api = await serveApi({ config: apiConfig, bundle: apiBundle, jwtSecret, rows });
  closers.push(api.close);
  const tokens = {
    readerToken: (await mintToken(USERS.reader, jwtSecret)).token,
    writerToken: (await mintToken(USERS.writer, jwtSecret)).token,
  };
  const listBody = await (
    await fetch(`${api.url}/api/todos`, {
      headers: { Authorization: `Bearer ${tokens.readerToken}` },
    })
  ).text();
  const listed = (JSON.parse(listBody) as { items?: unknown[] }).items?.length;
  if (listed !== TODOS_PER_USER) {
    throw new Error(`the reader's list has ${listed} items, not the ${TODOS_PER_USER} seeded`);
  }

  step(`serving the bare Worker (the list's ${listBody.length}-byte body) and the bare D1 Worker`);
  const bare = await serveBareWorker(apiConfig, listBody);
  closers.push(bare.close);
  const d1List = await serveD1ListWorker(apiConfig, rows);
  closers.push(d1List.close);

  const packages = await ensurePeerPackages();
  let peer: BenchReport["peer"];
  let peerServer: { url: string; pid: number | undefined } | undefined;
  if (packages.ok) {
    step("serving the FastAPI peer (uvicorn) on the same migrations and seed");
    const served = await servePeer({
      migrationsDir: apiDatabase(apiConfig).migrationsDir,
      rows,
      jwtSecret,
    });
    closers.push(served.close);
    peer = { versions: packages.versions };
    peerServer = served;
  } else {
    peer = { skipped: packages.reason };
    step(`FastAPI peer skipped: ${packages.reason}`);
  }

  const targets: PlannedTarget[] = [
    ...apiTargets({
      group: "API",
      prefix: "api",
      url: api.url,
      serverPid: api.pid,
      ...tokens,
      baselineId: "bare",
      ...(peerServer ? { peerPrefix: "peer" } : {}),
    }),
    {
      id: "bare",
      group: "bare Worker",
      label: `GET / (fixed ${listBody.length}-byte JSON)`,
      target: { url: `${bare.url}/`, method: "GET", expectStatus: 200 },
      baselineId: "bare",
      serverPid: bare.pid,
    },
    {
      id: "d1.list",
      group: "bare Worker",
      label: "GET / (the list's batch on D1: page and counts, no auth)",
      target: { url: `${d1List.url}/`, method: "GET", expectStatus: 200 },
      baselineId: "bare",
      serverPid: d1List.pid,
    },
    {
      id: "d1.create",
      group: "bare Worker",
      label: "POST / (the create's insert on D1, no auth)",
      target: {
        url: `${d1List.url}/`,
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: NEW_TODO,
        expectStatus: 201,
      },
      baselineId: "bare",
      serverPid: d1List.pid,
    },
    ...(peerServer
      ? apiTargets({
          group: "FastAPI peer",
          prefix: "peer",
          url: peerServer.url,
          serverPid: peerServer.pid,
          ...tokens,
          baselineId: "bare",
        })
      : []),
  ];
  if (builtSite) {
    step("serving the site on workerd against the API; signing a person up");
    try {
      const served = await siteTargets({ site: builtSite, api, apiConfig, jwtSecret });
      closers.push(served.close);
      targets.push(...served.targets);
    } catch (error) {
      site = { skipped: `site could not be served: ${firstLine(error)}` };
      step(site.skipped);
    }
  }
  for (const target of targets) await checkTarget(target);

  const load = new LoadGenerator();
  closers.push(() => load.close());
  const seconds = targets.length * (LOAD.warmupSeconds + LOAD.rounds * LOAD.secondsPerRound);
  step(`load: ${targets.length} targets, about ${Math.ceil(seconds / 60)} min`);
  const rowsMeasured = measuredRows(targets, await measureAll(load, targets, step));

  step("token verification micro-benchmark (Node)");
  const micro = await microVerify(jwtSecret);
  step("password hashing micro-benchmark (Node and workerd)");
  const passwords = await microPassword(readWorkerConfig("site/wrangler.jsonc"));

  const partial: Omit<BenchReport, "goals"> = {
    date: new Date().toISOString().slice(0, 10),
    settings: LOAD,
    machine,
    peer,
    load: rowsMeasured,
    authOverhead: [
      ...authOverhead("API", rowsMeasured, "api"),
      ...authOverhead("FastAPI peer", rowsMeasured, "peer"),
    ],
    listCpu: listCpuBreakdown(rowsMeasured),
    siteCpu: siteCpuBreakdown(rowsMeasured),
    micro,
    passwords,
    bundles,
    site,
  };
  const report: BenchReport = { ...partial, goals: evaluateGoals(partial) };
  console.log(`\n${renderMarkdown(report)}`);
  for (const file of writeResults(report, path.join(ROOT, "bench/results"))) step(`wrote ${file}`);
} catch (error) {
  console.error(`\n[bench] failed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  for (const close of closers.reverse()) await close();
}
