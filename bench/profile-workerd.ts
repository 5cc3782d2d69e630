/**
 * `npm run bench:profile:workerd`: V8 CPU profiles of the production bundles as workerd
 * runs them, through workerd's inspector: the API's list and create, the site's /todos
 * and /sign-in. Every Worker in the serving process is profiled at once (the API or the
 * site, and the D1 and static-asset Workers that local workerd runs beside it), so the
 * table shows which of them spends the JavaScript time of a request, and on what.
 * Native work outside JavaScript (SQLite, sockets, parallel GC) is not sampled: the
 * bench's CPU figures cover it. Writes each `.cpuprofile` under bench/profile/.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { mintToken } from "@todo/worker/token";
import { buildSite } from "../scripts/lib/build-site.ts";
import { buildWorker } from "../scripts/lib/build-worker.ts";
import { ROOT } from "../scripts/lib/process.ts";
import { readWorkerConfig } from "../scripts/lib/worker-config.ts";
import { USERS } from "./lib/config.ts";
import { Inspector, type Profile } from "./lib/inspector.ts";
import { NEW_TODO } from "./lib/plan.ts";
import { seedRows } from "./lib/seed.ts";
import { serveApi } from "./lib/serve-api.ts";
import { serveD1ListWorker } from "./lib/serve-baseline.ts";
import { siteTargets } from "./lib/site-targets.ts";

const REQUESTS = Number(process.env.PROFILE_REQUESTS ?? 500);
const WARM_UP = 200;
const SAMPLING_INTERVAL_US = 50;
const TOP_FUNCTIONS = 25;
const INSPECTOR_PORTS = { api: 9331, site: 9332, d1List: 9333 } as const;
const OUT_DIR = path.join(ROOT, "bench/profile");

type Sampled = { worker: string; profile: Profile };

/** JavaScript time per request of each named Worker's own isolate, for the summary. */
const ownIsolate = new Map<string, number>();

/** Sampled time per request, by key, excluding idle. */
function selfTime(
  profile: Profile,
  keyOf: (frame: Profile["nodes"][number]["callFrame"]) => string,
) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const micros = new Map<string, number>();
  for (const id of profile.samples) {
    const frame = byId.get(id);
    if (!frame || frame.functionName === "(idle)") continue;
    const key = keyOf(frame);
    micros.set(key, (micros.get(key) ?? 0) + SAMPLING_INTERVAL_US / REQUESTS);
  }
  return [...micros].sort((a, b) => b[1] - a[1]);
}

const scriptOf = (url: string) => (url ? path.basename(url) : "(native)");

function printRun(name: string, sampled: Sampled[]) {
  const busy = sampled
    .map(({ worker, profile }) => ({
      worker,
      profile,
      micros: selfTime(profile, () => "all")[0]?.[1] ?? 0,
    }))
    .filter(({ micros }) => micros >= 1)
    .sort((a, b) => b.micros - a.micros);
  console.log(`\n## ${name}: JavaScript time per request, by Worker in the process`);
  for (const { worker, micros } of busy) {
    console.log(`${micros.toFixed(1).padStart(9)} µs  ${worker}`);
  }
  // The API's or the site's own Worker; the others are local D1 and static assets.
  const main = busy.find(({ worker }) => worker.startsWith("core:user:"));
  if (!main) return;
  ownIsolate.set(name, main.micros);
  console.log(`\n${main.worker}, by script:`);
  for (const [script, micros] of selfTime(main.profile, (f) => scriptOf(f.url)).slice(0, 12)) {
    console.log(`${micros.toFixed(1).padStart(9)} µs  ${script}`);
  }
  console.log(`${main.worker}, by function (self time):`);
  const byFunction = selfTime(
    main.profile,
    (f) => `${f.functionName || "(anonymous)"} ${scriptOf(f.url)}:${f.lineNumber + 1}`,
  );
  for (const [fn, micros] of byFunction.slice(0, TOP_FUNCTIONS)) {
    console.log(`${micros.toFixed(1).padStart(9)} µs  ${fn}`);
  }
}

/** Warms `request` up, then profiles REQUESTS of it, one at a time, in every Worker. */
async function profile(name: string, port: number, request: () => Promise<Response>) {
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
    printRun(name, sampled);
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
  await profile("api.list", INSPECTOR_PORTS.api, () =>
    fetch(`${api.url}/api/todos`, { headers: { Authorization: `Bearer ${reader}` } }),
  );
  await profile("api.create", INSPECTOR_PORTS.api, () =>
    fetch(`${api.url}/api/todos`, {
      method: "POST",
      headers: { Authorization: `Bearer ${writer}`, "Content-Type": "application/json" },
      body: NEW_TODO,
    }),
  );
  await profile("d1.list", INSPECTOR_PORTS.d1List, () => fetch(`${d1List.url}/`));
  await profile("d1.create", INSPECTOR_PORTS.d1List, () =>
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
    await profile(id, INSPECTOR_PORTS.site, () => fetch(target.url, { headers: target.headers }));
  }
  console.log("\n## The API's own isolate beside the bare D1 Worker's (same statements)");
  for (const [route, floor] of [
    ["api.list", "d1.list"],
    ["api.create", "d1.create"],
  ] as const) {
    const [ours, bare] = [ownIsolate.get(route), ownIsolate.get(floor)];
    if (ours === undefined || bare === undefined) continue;
    console.log(
      `${route}: ${ours.toFixed(1)} µs − ${bare.toFixed(1)} µs = ${(ours - bare).toFixed(1)} µs of JavaScript time that is the API's own`,
    );
  }
  console.log(`\nProfiles: ${path.relative(ROOT, OUT_DIR)}/workerd-*.cpuprofile (Chrome DevTools)`);
} finally {
  for (const close of closers.reverse()) await close();
  rmSync(work, { recursive: true, force: true });
}
