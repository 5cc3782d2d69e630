/**
 * `npm run bench`: the API's production bundle on workerd next to a bare Worker (the
 * platform's limit) and the FastAPI peer, under the same load; token verification cost;
 * bundle sizes; the site. Prints a table and writes bench/results/<date>.json and .md.
 * Loopback only; every step bounded in time (the whole run stays under 5 minutes).
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { mintToken } from "@todo/worker/token";
import { buildWorker } from "./lib/build.ts";
import { bundleSize } from "./lib/bundle-size.ts";
import { LOAD, USERS } from "./lib/config.ts";
import { API_GZIP_LIMIT, evaluateGoals, SITE_GZIP_LIMIT } from "./lib/goals.ts";
import { LoadGenerator } from "./lib/load.ts";
import { machineFacts } from "./lib/machine.ts";
import { checkTarget, type Measurement, measureAll } from "./lib/measure.ts";
import { microVerify } from "./lib/micro-verify.ts";
import { ensurePeerPackages } from "./lib/peer-packages.ts";
import { apiTargets, type PlannedTarget } from "./lib/plan.ts";
import { ROOT } from "./lib/process.ts";
import { type AuthOverhead, type BenchReport, renderMarkdown, writeResults } from "./lib/report.ts";
import { seedRows } from "./lib/seed.ts";
import { serveApi } from "./lib/serve-api.ts";
import { serveBaseline } from "./lib/serve-baseline.ts";
import { servePeer } from "./lib/serve-peer.ts";
import { buildSite } from "./lib/site.ts";
import { median } from "./lib/stats.ts";
import { readWorkerConfig } from "./lib/worker-config.ts";

process.chdir(ROOT);
const step = (message: string) => console.log(`[bench] ${message}`);
const closers: (() => Promise<void> | void)[] = [];
const work = mkdtempSync(path.join(tmpdir(), "todo-bench-"));
closers.push(() => rmSync(work, { recursive: true, force: true }));

/** 1 - (req/s with auth) / (req/s without), per round: the rounds were measured side by side. */
function authOverhead(server: string, me?: Measurement, health?: Measurement): AuthOverhead[] {
  if (!me || !health) return [];
  const perRound = me.roundsReqPerSec.map((rps, i) => 1 - rps / (health.roundsReqPerSec[i] ?? rps));
  return [{ server, perRound, median: median(perRound) }];
}

try {
  const machine = await machineFacts();
  // A fresh secret per run: tokens from .dev.vars never meet this server.
  const jwtSecret = randomBytes(48).toString("base64url");

  step("building the API's production bundle (wrangler deploy --dry-run)");
  const apiConfig = readWorkerConfig("wrangler.toml");
  const apiBundle = await buildWorker("wrangler.toml", apiConfig.main, path.join(work, "api"));
  const bundles = [{ ...bundleSize("API", apiBundle), limitGzipBytes: API_GZIP_LIMIT }];

  step("building the site (astro build, then wrangler deploy --dry-run)");
  let site: BenchReport["site"];
  try {
    const built = await buildSite(path.join(work, "site"));
    bundles.push({ ...bundleSize("site", built.bundle), limitGzipBytes: SITE_GZIP_LIMIT });
    site = { skipped: "server-rendering under load is not wired up yet (bundle size measured)" };
  } catch (error) {
    site = { skipped: `site not built: ${(error as Error).message.split("\n")[0]}` };
  }
  step(`site: ${"skipped" in site ? site.skipped : "built"}`);

  step("serving the API on workerd with a fresh D1 (migrations + seed)");
  const rows = seedRows();
  const api = await serveApi({ config: apiConfig, bundle: apiBundle, jwtSecret, rows });
  closers.push(api.close);
  const readerToken = (await mintToken(USERS.reader, jwtSecret)).token;
  const writerToken = (await mintToken(USERS.writer, jwtSecret)).token;

  const listBody = await (
    await fetch(`${api.url}/api/todos`, { headers: { Authorization: `Bearer ${readerToken}` } })
  ).text();
  step(`serving the bare Worker with the list's ${listBody.length}-byte body`);
  const baseline = await serveBaseline(apiConfig, listBody);
  closers.push(baseline.close);

  const packages = await ensurePeerPackages();
  let peer: BenchReport["peer"];
  let peerUrl: string | undefined;
  if (packages.ok) {
    step("serving the FastAPI peer (uvicorn) on the same seed");
    const database = apiConfig.d1Databases[0];
    const served = await servePeer({
      migrationsDir: database?.migrationsDir ?? "migrations/todos",
      rows,
      jwtSecret,
    });
    closers.push(served.close);
    peer = { versions: packages.versions };
    peerUrl = served.url;
  } else {
    peer = { skipped: packages.reason };
    step(`FastAPI peer skipped: ${packages.reason}`);
  }

  const tokens = { readerToken, writerToken };
  const targets: PlannedTarget[] = [
    ...apiTargets({
      group: "API",
      prefix: "api",
      url: api.url,
      ...tokens,
      baselineId: "bare",
      ...(peerUrl ? { peerPrefix: "peer" } : {}),
    }),
    {
      id: "bare",
      group: "bare Worker",
      label: `GET / (fixed ${listBody.length}-byte JSON)`,
      target: { url: `${baseline.url}/`, method: "GET", expectStatus: 200 },
      baselineId: "bare",
    },
    ...(peerUrl
      ? apiTargets({
          group: "FastAPI peer",
          prefix: "peer",
          url: peerUrl,
          ...tokens,
          baselineId: "bare",
        })
      : []),
  ];
  for (const target of targets) await checkTarget(target);

  const load = new LoadGenerator();
  closers.push(() => load.close());
  const perTarget = LOAD.warmupSeconds + LOAD.rounds * LOAD.secondsPerRound;
  step(
    `load: ${targets.length} targets, about ${Math.ceil((targets.length * perTarget) / 60)} min`,
  );
  const measured = await measureAll(load, targets, step);
  const byId = new Map(measured.map((m) => [m.id, m]));

  step("token verification micro-benchmark (Node)");
  const micro = await microVerify(jwtSecret);

  const partial: Omit<BenchReport, "goals"> = {
    date: new Date().toISOString().slice(0, 10),
    settings: LOAD,
    machine,
    peer,
    load: targets.map((planned) => {
      const m = byId.get(planned.id) as Measurement;
      const base = byId.get(planned.baselineId);
      const peerMeasure = planned.peerId ? byId.get(planned.peerId) : undefined;
      return {
        ...m,
        group: planned.group,
        label: planned.label,
        baselineId: planned.baselineId,
        vsBaseline: m.reqPerSec / (base?.reqPerSec ?? Number.NaN),
        ...(peerMeasure ? { vsPeer: m.reqPerSec / peerMeasure.reqPerSec } : {}),
      };
    }),
    authOverhead: [
      ...authOverhead("API", byId.get("api.me"), byId.get("api.health")),
      ...authOverhead("FastAPI peer", byId.get("peer.me"), byId.get("peer.health")),
    ],
    micro,
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
