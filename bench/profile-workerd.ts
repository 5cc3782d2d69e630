/**
 * `npm run bench:profile:workerd`: V8 CPU profiles of the production bundles as workerd
 * runs them, through workerd's inspector: the API's list and create, the bare D1 Worker's
 * same statements, the site's /todos and /sign-in. Every Worker in the serving process is
 * profiled at once (ours, and the D1 and static-asset Workers that local workerd runs
 * beside it), so the tables show which of them spends the JavaScript time of a request,
 * and on what. The summary gives the API's own JavaScript (its isolate less the bare D1
 * Worker's), with the request log line at what it costs with no inspector attached.
 * Native work outside JavaScript (SQLite, sockets, parallel GC) is not sampled: the
 * bench's CPU figures cover it. Writes each `.cpuprofile` under bench/profile/.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { SourceMap } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { mintToken } from "@todo/worker/token";
import { buildSite } from "../scripts/lib/build-site.ts";
import { buildWorker } from "../scripts/lib/build-worker.ts";
import { ROOT } from "../scripts/lib/process.ts";
import { readWorkerConfig } from "../scripts/lib/worker-config.ts";
import { USERS } from "./lib/config.ts";
import { processCpuMs } from "./lib/cpu.ts";
import { busyTime, scriptOf, selfTime, timeUnder } from "./lib/cpu-profile.ts";
import { Inspector, type Profile } from "./lib/inspector.ts";
import { NEW_TODO } from "./lib/plan.ts";
import { seedRows } from "./lib/seed.ts";
import { serveApi } from "./lib/serve-api.ts";
import { serveD1ListWorker, serveLogLinesWorker } from "./lib/serve-baseline.ts";
import { siteTargets } from "./lib/site-targets.ts";
import { median } from "./lib/stats.ts";

const REQUESTS = Number(process.env.PROFILE_REQUESTS ?? 500);
const WARM_UP = 200;
const SAMPLING_INTERVAL_US = 50;
const TOP_FUNCTIONS = 25;
const INSPECTOR_PORTS = { api: 9331, site: 9332, d1List: 9333 } as const;
const LOG_LINES_PORT = 8798;
const LOG_LINES_PER_REQUEST = 20;
const OUT_DIR = path.join(ROOT, "bench/profile");

type Sampled = { worker: string; profile: Profile };
/**
 * The profiled Worker's own isolate: its JavaScript time per request and, of that, the
 * time under the API's request log line (`worker/src/log.ts`; 0 for other Workers).
 */
type OwnIsolate = { micros: number; logLineMicros: number };

/**
 * Server CPU per request log line, with no inspector attached (an attached inspector
 * keeps every console message, which inflates `console.log` in the profiles): a Worker
 * answering with and without LOG_LINES_PER_REQUEST lines, alternately.
 */
async function logLineCost(url: string, pid: number | undefined): Promise<number> {
  const perRequest = { with: [] as number[], without: [] as number[] };
  for (let round = 0; round < 5; round++) {
    for (const [kind, lines] of [
      ["without", 0],
      ["with", LOG_LINES_PER_REQUEST],
    ] as const) {
      const before = processCpuMs(pid);
      for (let i = 0; i < 300; i++) await (await fetch(`${url}/?n=${lines}`)).arrayBuffer();
      perRequest[kind].push(((processCpuMs(pid) - before) * 1000) / 300);
    }
  }
  return (median(perRequest.with) - median(perRequest.without)) / LOG_LINES_PER_REQUEST;
}

const SCALE = { intervalMicros: SAMPLING_INTERVAL_US, requests: REQUESTS };

/** Prints where each Worker's time went; returns the profiled Worker's own isolate. */
function printRun(
  name: string,
  sampled: Sampled[],
  apiSourceMap: SourceMap,
): OwnIsolate | undefined {
  const busy = sampled
    .map(({ worker, profile }) => ({ worker, profile, micros: busyTime(profile, SCALE) }))
    .filter(({ micros }) => micros >= 1)
    .sort((a, b) => b.micros - a.micros);
  console.log(`\n## ${name}: JavaScript time per request, by Worker in the process`);
  for (const { worker, micros } of busy) {
    console.log(`${micros.toFixed(1).padStart(9)} µs  ${worker}`);
  }
  // The API's or the site's own Worker; the others are local D1 and static assets.
  const main = busy.find(({ worker }) => worker.startsWith("core:user:"));
  if (!main) return undefined;
  const logLineMicros = main.worker.endsWith(":todo-api")
    ? timeUnder(main.profile, SCALE, (frame) => {
        if (!frame.url.endsWith("index.js")) return false;
        const origin = apiSourceMap.findEntry(frame.lineNumber, frame.columnNumber);
        return "originalSource" in origin && origin.originalSource.endsWith("worker/src/log.ts");
      })
    : 0;
  console.log(`\n${main.worker}, by script:`);
  for (const [script, micros] of selfTime(main.profile, SCALE, scriptOf).slice(0, 12)) {
    console.log(`${micros.toFixed(1).padStart(9)} µs  ${script}`);
  }
  console.log(`${main.worker}, by function (self time):`);
  const byFunction = selfTime(
    main.profile,
    SCALE,
    (f) => `${f.functionName || "(anonymous)"} ${scriptOf(f)}:${f.lineNumber + 1}`,
  );
  for (const [fn, micros] of byFunction.slice(0, TOP_FUNCTIONS)) {
    console.log(`${micros.toFixed(1).padStart(9)} µs  ${fn}`);
  }
  return { micros: main.micros, logLineMicros };
}

/** Warms `request` up, then profiles REQUESTS of it, one at a time, in every Worker. */
async function profile(
  name: string,
  port: number,
  apiSourceMap: SourceMap,
  request: () => Promise<Response>,
): Promise<OwnIsolate | undefined> {
  const send = async () => {
    const response = await request();
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`${name}: answered ${response.status}`);
  };
  for (let i = 0; i < WARM_UP; i++) await send();
  const inspectors = await Inspector.connectAll(port);
  try {
    for (const { inspector } of inspectors) await inspector.startProfiling(SAMPLING_INTERVAL_US);
    for (let i = 0; i < REQUESTS; i++) await send();
    const sampled: Sampled[] = [];
    for (const { worker, inspector } of inspectors) {
      const profile = await inspector.stopProfiling();
      sampled.push({ worker, profile });
      const file = `workerd-${name}-${worker}`.replace(/[^\w.-]+/g, "_");
      writeFileSync(path.join(OUT_DIR, `${file}.cpuprofile`), JSON.stringify(profile));
    }
    return printRun(name, sampled, apiSourceMap);
  } finally {
    for (const { inspector } of inspectors) inspector.close();
  }
}

process.chdir(ROOT);
mkdirSync(OUT_DIR, { recursive: true });
const work = mkdtempSync(path.join(tmpdir(), "todo-profile-workerd-"));
const closers: (() => Promise<void>)[] = [];
try {
  const jwtSecret = randomBytes(48).toString("base64url");
  const apiConfig = readWorkerConfig("wrangler.toml");
  console.log("Building the API and the site as they deploy…");
  const apiBundle = await buildWorker("wrangler.toml", apiConfig.main, path.join(work, "api"));
  const mapFile = path.join(apiBundle.dir, `${apiBundle.mainModule}.map`);
  const apiSourceMap = new SourceMap(JSON.parse(readFileSync(mapFile, "utf8")));
  const site = await buildSite(path.join(work, "site"));
  const rows = seedRows();
  const api = await serveApi({
    config: apiConfig,
    bundle: apiBundle,
    jwtSecret,
    rows,
    inspectorPort: INSPECTOR_PORTS.api,
  });
  closers.push(api.close);
  const d1List = await serveD1ListWorker(apiConfig, rows, INSPECTOR_PORTS.d1List);
  closers.push(d1List.close);
  const reader = (await mintToken(USERS.reader, jwtSecret)).token;
  const writer = (await mintToken(USERS.writer, jwtSecret)).token;
  console.log(`Profiling ${REQUESTS} requests of each kind, one at a time…`);
  const isolates = new Map<string, OwnIsolate | undefined>();
  const run = async (
    name: string,
    port: number,
    request: () => Promise<Response>,
  ): Promise<void> => {
    isolates.set(name, await profile(name, port, apiSourceMap, request));
  };
  await run("api.list", INSPECTOR_PORTS.api, () =>
    fetch(`${api.url}/api/todos`, { headers: { Authorization: `Bearer ${reader}` } }),
  );
  await run("api.create", INSPECTOR_PORTS.api, () =>
    fetch(`${api.url}/api/todos`, {
      method: "POST",
      headers: { Authorization: `Bearer ${writer}`, "Content-Type": "application/json" },
      body: NEW_TODO,
    }),
  );
  await run("d1.list", INSPECTOR_PORTS.d1List, () => fetch(`${d1List.url}/`));
  await run("d1.create", INSPECTOR_PORTS.d1List, () =>
    fetch(`${d1List.url}/`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: NEW_TODO,
    }),
  );
  const served = await siteTargets({
    site,
    api,
    apiConfig,
    jwtSecret,
    inspectorPort: INSPECTOR_PORTS.site,
  });
  closers.push(served.close);
  for (const { id, target } of served.targets.filter((t) => t.group === "site")) {
    await run(id, INSPECTOR_PORTS.site, () => fetch(target.url, { headers: target.headers }));
  }
  const logWorker = await serveLogLinesWorker(apiConfig, LOG_LINES_PORT);
  closers.push(logWorker.close);
  const perLine = await logLineCost(logWorker.url, logWorker.pid);
  console.log("\n## The API's own isolate beside the bare D1 Worker's (same statements)");
  console.log(
    `A request log line costs ${perLine.toFixed(1)} µs of server CPU with no inspector attached.`,
  );
  for (const [route, floor] of [
    ["api.list", "d1.list"],
    ["api.create", "d1.create"],
  ] as const) {
    const [ours, bare] = [isolates.get(route)?.micros, isolates.get(floor)?.micros];
    if (ours === undefined || bare === undefined) continue;
    const log = isolates.get(route)?.logLineMicros ?? 0;
    const own = ours - bare;
    console.log(
      `${route}: ${ours.toFixed(1)} − ${bare.toFixed(1)} = ${own.toFixed(1)} µs of JavaScript time is the API's own; ` +
        `${log.toFixed(1)} µs of it the log line under the inspector, so ${(own - log + perLine).toFixed(1)} µs with the log line at its uninspected cost`,
    );
  }
  console.log(`\nProfiles: ${path.relative(ROOT, OUT_DIR)}/workerd-*.cpuprofile (Chrome DevTools)`);
} finally {
  for (const close of [...closers].reverse()) await close();
  rmSync(work, { recursive: true, force: true });
}
