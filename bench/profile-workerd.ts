/**
 * `npm run bench:profile:workerd`: where the API's time goes beyond D1, in two ways.
 *
 * 1. Ablations under load: the bare D1 Worker, the API's production bundle, and the
 *    ablation Worker (bench/ablation/entry.ts: the same API, any stage left out per
 *    request) in interleaved rounds, each variant's req/s divided by the bare D1 Worker's
 *    in the same round.
 * 2. V8 CPU profiles through workerd's inspector, in every Worker of the serving process at
 *    once (ours, and the D1 and static-asset Workers local workerd runs beside it): the
 *    API's list and create, the bare D1 Worker's same statements, the site's /todos and
 *    /sign-in. Native work outside JavaScript is not sampled; the ablations include it.
 *
 * Prints both, writes bench/results/profile-<date>.md and .json and each `.cpuprofile`
 * under bench/profile/. PROFILE_REQUESTS, BENCH_ROUNDS and BENCH_SECONDS shorten it.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { SourceMap } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { mintToken } from "@todo/worker/token";
import { buildSite } from "../scripts/lib/build-site.ts";
import { buildWorker, bundleAt } from "../scripts/lib/build-worker.ts";
import { ROOT } from "../scripts/lib/process.ts";
import { readWorkerConfig } from "../scripts/lib/worker-config.ts";
import { ownCpuMs, processCpuMs } from "./lib/cpu.ts";
import { busyTime, scriptOf, selfTime, timeUnder } from "./lib/cpu-profile.ts";
import { Inspector, type Profile } from "./lib/inspector.ts";
import { LoadGenerator } from "./lib/load.ts";
import { checkTarget, LOAD, measureAll, perRound } from "./lib/measure.ts";
import {
  factsTable,
  finishRun,
  fixed,
  heading,
  int,
  startRun,
  table,
  writeResults,
} from "./lib/report.ts";
import { seedRows, USERS } from "./lib/seed.ts";
import { freePort, serveApi, serveD1ListWorker, serveWorker } from "./lib/serve.ts";
import { median } from "./lib/stats.ts";
import { NEW_TODO, type PlannedTarget, siteTargets } from "./lib/targets.ts";

const REQUESTS = Number(process.env.PROFILE_REQUESTS ?? 500);
const SAMPLING_INTERVAL_US = 50;
const SCALE = { intervalMicros: SAMPLING_INTERVAL_US, requests: REQUESTS };
/** The wrk run that raised the question used 16 connections. */
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const STAGES = [
  "log",
  "timing",
  "request-id",
  "route-guard",
  "validation",
  "mapping",
  "serialisation",
  "rewrap",
];
const OUT_DIR = path.join(ROOT, "bench/profile");
const lines: string[] = [];
const say = (line = "") => {
  console.log(line);
  lines.push(line);
};

/** The ablation Worker built as wrangler builds the API, from a config beside the build. */
async function buildAblation(work: string, api: ReturnType<typeof readWorkerConfig>) {
  const config = path.join(work, "ablation.json");
  writeFileSync(
    config,
    JSON.stringify({
      name: "todo-api-ablation",
      main: path.join(ROOT, "bench/ablation/entry.ts"),
      compatibility_date: api.compatibilityDate,
      compatibility_flags: api.compatibilityFlags,
      minify: true,
      alias: {
        "@standard-community/standard-json": path.join(
          ROOT,
          "worker/src/openapi/standard-json-unused.ts",
        ),
      },
    }),
  );
  return buildWorker(config, "entry.ts", path.join(work, "ablation"));
}

/** A Worker writing `?n=` lines shaped like the API's request log line, then a fixed answer. */
const LOG_LINES_WORKER = `export default {
  fetch(request) {
    const lines = Number(new URL(request.url).searchParams.get("n"));
    for (let i = 0; i < lines; i++) {
      console.log(JSON.stringify({ event: "request", requestId: crypto.randomUUID(), method: "GET",
        route: "/api/todos", status: 200, durationMs: 1.23 }));
    }
    return new Response("ok");
  },
};`;
const LINES = 100;

/**
 * One request log line's cost with no inspector attached, amplified so that a busy machine
 * cannot hide it: requests writing LINES lines against requests writing none, in alternating
 * blocks; workerd's CPU and this process's (Miniflare draining the lines) per line.
 */
async function logLineCost(work: string, config: ReturnType<typeof readWorkerConfig>) {
  const dir = path.join(work, "log-lines");
  mkdirSync(dir);
  writeFileSync(path.join(dir, "worker.js"), LOG_LINES_WORKER);
  const bundle = bundleAt(dir, "worker.js");
  const served = await serveWorker({ name: "log-lines", bundle, config, env: {} });
  const perLine = { workerd: [] as number[], drain: [] as number[] };
  try {
    for (let round = 0; round < 7; round++) {
      const spent = [];
      for (const lines of [0, LINES]) {
        const [workerd, host] = [processCpuMs(served.pid), ownCpuMs()];
        for (let i = 0; i < 40; i++) await (await fetch(`${served.url}/?n=${lines}`)).arrayBuffer();
        await new Promise((resolve) => setTimeout(resolve, 100)); // the last lines drain
        spent.push([processCpuMs(served.pid) - workerd, ownCpuMs() - host]);
      }
      const [[w0 = 0, h0 = 0] = [], [w1 = 0, h1 = 0] = []] = spent;
      perLine.workerd.push(((w1 - w0) * 1000) / (40 * LINES));
      perLine.drain.push(((h1 - h0) * 1000) / (40 * LINES));
    }
  } finally {
    await served.close();
  }
  return { workerdMicros: median(perLine.workerd), drainMicros: median(perLine.drain), perLine };
}

/** Prints where each Worker's JavaScript time went; returns the profiled isolate's. */
function printProfile(
  name: string,
  sampled: { worker: string; profile: Profile }[],
  map: SourceMap,
) {
  const busy = sampled
    .map(({ worker, profile }) => ({ worker, profile, micros: busyTime(profile, SCALE) }))
    .filter(({ micros }) => micros >= 1)
    .sort((a, b) => b.micros - a.micros);
  say(`\n### ${name}: JavaScript µs per request, by Worker in the process\n`);
  say(
    table(
      ["Worker", "µs/req"],
      busy.map(({ worker, micros }) => [worker, fixed(micros, 1)]),
    ),
  );
  const main = busy.find(({ worker }) => worker.startsWith("core:user:"));
  if (!main) return undefined;
  const logMicros = main.worker.endsWith(":todo-api")
    ? timeUnder(main.profile, SCALE, (frame) => {
        if (!frame.url.endsWith("index.js")) return false;
        const origin = map.findEntry(frame.lineNumber, frame.columnNumber);
        return "originalSource" in origin && origin.originalSource.endsWith("worker/src/log.ts");
      })
    : 0;
  const top = selfTime(
    main.profile,
    SCALE,
    (f) => `${f.functionName || "(anonymous)"} ${scriptOf(f)}:${f.lineNumber + 1}`,
  );
  say(`\n${main.worker}, top functions by self time:\n`);
  say(
    table(
      ["function", "µs/req"],
      top.slice(0, 15).map(([fn, us]) => [fn, fixed(us, 1)]),
    ),
  );
  return { micros: main.micros, logMicros };
}

/** Warms `request` up, then profiles REQUESTS of it, one at a time, in every Worker. */
async function profile(
  name: string,
  port: number,
  map: SourceMap,
  request: () => Promise<Response>,
) {
  const send = async () => {
    const response = await request();
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`${name}: answered ${response.status}`);
  };
  for (let i = 0; i < 200; i++) await send();
  const inspectors = await Inspector.connectAll(port);
  try {
    for (const { inspector } of inspectors) await inspector.startProfiling(SAMPLING_INTERVAL_US);
    for (let i = 0; i < REQUESTS; i++) await send();
    const sampled = [];
    for (const { worker, inspector } of inspectors) {
      const profiled = await inspector.stopProfiling();
      sampled.push({ worker, profile: profiled });
      const file = `workerd-${name}-${worker}`.replace(/[^\w.-]+/g, "_");
      writeFileSync(path.join(OUT_DIR, `${file}.cpuprofile`), JSON.stringify(profiled));
    }
    return printProfile(name, sampled, map);
  } finally {
    for (const { inspector } of inspectors) inspector.close();
  }
}

process.chdir(ROOT);
mkdirSync(OUT_DIR, { recursive: true });
const work = mkdtempSync(path.join(tmpdir(), "todo-profile-workerd-"));
const closers: (() => Promise<void> | void)[] = [
  () => rmSync(work, { recursive: true, force: true }),
];
try {
  const started = await startRun();
  const jwtSecret = randomBytes(48).toString("base64url");
  const apiConfig = readWorkerConfig("wrangler.toml");
  console.log("Building the API, the ablation Worker and the site as they deploy…");
  const apiBundle = await buildWorker("wrangler.toml", apiConfig.main, path.join(work, "api"));
  const map = new SourceMap(
    JSON.parse(readFileSync(path.join(apiBundle.dir, `${apiBundle.mainModule}.map`), "utf8")),
  );
  const ablationBundle = await buildAblation(work, apiConfig);
  const site = await buildSite(path.join(work, "site"));
  const INSPECTOR_PORTS = {
    api: await freePort(),
    site: await freePort(),
    d1List: await freePort(),
  };
  const rows = seedRows();
  const api = await serveApi({
    config: apiConfig,
    bundle: apiBundle,
    jwtSecret,
    rows,
    inspectorPort: INSPECTOR_PORTS.api,
  });
  closers.push(api.close);
  const ablation = await serveApi({
    config: apiConfig,
    bundle: ablationBundle,
    jwtSecret,
    rows,
  });
  closers.push(ablation.close);
  const d1List = await serveD1ListWorker(apiConfig, rows, INSPECTOR_PORTS.d1List);
  closers.push(d1List.close);
  const reader = (await mintToken(USERS.reader, jwtSecret)).token;
  const writer = (await mintToken(USERS.writer, jwtSecret)).token;

  const facts0 = started;
  const list = (
    id: string,
    label: string,
    url: string,
    pid: number | undefined,
    skip?: string,
  ): PlannedTarget => ({
    id,
    label,
    target: {
      url,
      method: "GET",
      headers: { Authorization: `Bearer ${reader}`, ...(skip ? { "x-bench-skip": skip } : {}) },
      expectStatus: 200,
    },
    serverPid: pid,
  });
  // Under load, no inspector port is open on any of them (the profiled ones come below).
  const plainApi = await serveApi({ config: apiConfig, bundle: apiBundle, jwtSecret, rows });
  closers.push(plainApi.close);
  const plainD1 = await serveD1ListWorker(apiConfig, rows);
  closers.push(plainD1.close);
  const variants: PlannedTarget[] = [
    list("d1.list", "bare D1 Worker: the list's batch", `${plainD1.url}/`, plainD1.pid),
    list(
      "api.list",
      "API production bundle: GET /api/todos",
      `${plainApi.url}/api/todos`,
      plainApi.pid,
    ),
    list("none", "ablation Worker, nothing left out", `${ablation.url}/api/todos`, ablation.pid),
    ...STAGES.map((stage) =>
      list(stage, `without ${stage}`, `${ablation.url}/api/todos`, ablation.pid, stage),
    ),
    list(
      "all",
      `without all ${STAGES.length}`,
      `${ablation.url}/api/todos`,
      ablation.pid,
      STAGES.join(","),
    ),
  ];
  for (const target of variants) await checkTarget(target);
  const load = new LoadGenerator();
  closers.push(() => load.close());
  console.log(
    `Ablations: ${variants.length} targets, ${CONNECTIONS} connections, ${LOAD.rounds} rounds of ${LOAD.secondsPerRound} s…`,
  );
  const measured = await measureAll(
    load,
    variants,
    (line) => console.log(`  ${line}`),
    CONNECTIONS,
  );
  const none = measured.find((m) => m.id === "none");
  say("## Ablations under load: the list without one stage at a time\n");
  say(
    table(
      [
        "variant",
        "req/s",
        "× bare D1 Worker (median of rounds)",
        "p50 ms",
        "server CPU µs/req",
        "− CPU vs nothing left out",
        "log drain µs/req",
      ],
      measured.map((m) => [
        m.label,
        int(m.reqPerSec),
        fixed(median(perRound(measured, m.id, "d1.list", "ratio") ?? [])),
        fixed(m.p50Ms),
        int(m.serverCpuMicros),
        m.id === "d1.list" || m.id === "api.list" || !none
          ? ""
          : int(median(perRound(measured, "none", m.id, "cpuAbove") ?? [])),
        int(m.logDrainCpuMicros),
      ]),
    ),
  );

  const logLine = await logLineCost(work, apiConfig);
  say(
    `\nOne request log line, no inspector attached (${LINES} lines per request, 7 rounds): ` +
      `${fixed(logLine.workerdMicros, 1)} µs of workerd CPU and ${fixed(logLine.drainMicros, 1)} µs of ` +
      `this process's CPU draining it (medians; rounds ${logLine.perLine.workerd.map((v) => fixed(v, 1)).join(", ")} ` +
      `and ${logLine.perLine.drain.map((v) => fixed(v, 1)).join(", ")}).`,
  );
  say("\n## V8 profiles in workerd (one request at a time)");
  const isolates = new Map<string, { micros: number; logMicros: number } | undefined>();
  const run = async (name: string, port: number, request: () => Promise<Response>) => {
    isolates.set(name, await profile(name, port, map, request));
  };
  const post = (url: string, auth?: string) => () =>
    fetch(url, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        ...(auth ? { Authorization: `Bearer ${auth}` } : {}),
      },
      body: NEW_TODO,
    });
  await run("api.list", INSPECTOR_PORTS.api, () =>
    fetch(`${api.url}/api/todos`, { headers: { Authorization: `Bearer ${reader}` } }),
  );
  await run("api.create", INSPECTOR_PORTS.api, post(`${api.url}/api/todos`, writer));
  await run("d1.list", INSPECTOR_PORTS.d1List, () => fetch(`${d1List.url}/`));
  await run("d1.create", INSPECTOR_PORTS.d1List, post(`${d1List.url}/`));
  const served = await siteTargets({ site, api, jwtSecret, inspectorPort: INSPECTOR_PORTS.site });
  closers.push(served.close);
  for (const { id, target } of served.targets.filter((t) => t.id.startsWith("site."))) {
    await run(id, INSPECTOR_PORTS.site, () => fetch(target.url, { headers: target.headers }));
  }
  say("\n## The API's own isolate beside the bare D1 Worker's (same statements)\n");
  for (const [route, floor] of [
    ["api.list", "d1.list"],
    ["api.create", "d1.create"],
  ] as const) {
    const [ours, bare] = [isolates.get(route), isolates.get(floor)];
    if (!ours || !bare) continue;
    say(
      `- ${route}: ${fixed(ours.micros, 1)} − ${fixed(bare.micros, 1)} = ${fixed(ours.micros - bare.micros, 1)} µs of JavaScript is the API's own, ${fixed(ours.logMicros, 1)} µs of it under the log line (inflated by the attached inspector).`,
    );
  }
  const facts = finishRun(facts0);
  const markdown = [
    heading("Where the API's time goes (bench:profile:workerd)", facts),
    `${REQUESTS} profiled requests of each kind; ablations: autocannon, ${CONNECTIONS} connections, ${LOAD.rounds} interleaved rounds of ${LOAD.secondsPerRound} s.`,
    lines.join("\n"),
    "## Machine",
    factsTable(facts),
  ].join("\n\n");
  const isolateFigures = Object.fromEntries(isolates);
  for (const file of writeResults(`profile-${facts.date}`, `${markdown}\n`, {
    facts,
    measured,
    isolates: isolateFigures,
  }))
    console.log(`wrote ${file}`);
  console.log(`Profiles: ${path.relative(ROOT, OUT_DIR)}/workerd-*.cpuprofile (Chrome DevTools)`);
} finally {
  for (const close of closers.reverse()) await close();
}
