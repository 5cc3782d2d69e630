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
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { SourceMap, type SourceMapping } from "node:module";
import path from "node:path";
import { BUILD_TIMEOUT_MS, bundleAt } from "../scripts/lib/build-worker.ts";
import { ROOT, run as runCommand } from "../scripts/lib/process.ts";
import { SKIP_HEADER, STAGES } from "./ablation/stages.ts";
import { busyTime, type CallFrame, scriptOf, selfTime } from "./lib/cpu-profile.ts";
import { benchRun } from "./lib/harness.ts";
import { Inspector, type Profile } from "./lib/inspector.ts";
import { LoadGenerator, type LoadTarget } from "./lib/load.ts";
import { checkTarget, LOAD, loadTable, measureAll, perRound, send } from "./lib/measure.ts";
import { fixed, int, table } from "./lib/report.ts";
import { seedRows } from "./lib/seed.ts";
import { type ServedWorker, serveApi, serveD1ListWorker } from "./lib/serve.ts";
import { median } from "./lib/stats.ts";
import { apiTargets, d1Targets, planned, seededTokens, siteTargets } from "./lib/targets.ts";

const REQUESTS = Number(process.env.PROFILE_REQUESTS ?? 500);
const SAMPLING_INTERVAL_US = 50;
const SCALE = { intervalMicros: SAMPLING_INTERVAL_US, requests: REQUESTS };
/** The wrk run that raised the question used 16 connections. */
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const OUT_DIR = path.join(ROOT, "bench/profile");

/** The ablation Worker built as wrangler builds the API: from the API's config, as its entry. */
async function buildAblation(outdir: string) {
  const wrangler = path.join(ROOT, "node_modules/.bin/wrangler");
  const entry = "bench/ablation/entry.ts";
  const args = ["deploy", entry, "--dry-run", "--config", "wrangler.toml", "--outdir", outdir];
  await runCommand(wrangler, args, { timeoutMs: BUILD_TIMEOUT_MS });
  return bundleAt(outdir, "entry.js");
}

/**
 * Warms `target` up, then profiles REQUESTS of it, one at a time, in every Worker of the
 * process serving it. Adds where each Worker's JavaScript time went to `report`; returns the
 * profiled isolate's figures.
 */
async function profileRequests(
  name: string,
  { inspectorPort }: ServedWorker,
  target: LoadTarget,
  map: SourceMap,
  report: string[],
) {
  if (!inspectorPort) throw new Error(`${name}: its server has no inspector port`);
  const sendOne = async () => {
    const response = await send(target);
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`${name}: answered ${response.status}`);
  };
  for (let i = 0; i < 200; i++) await sendOne();
  const inspectors = await Inspector.connectAll(inspectorPort);
  const sampled: { worker: string; profile: Profile }[] = [];
  try {
    for (const { inspector } of inspectors) await inspector.startProfiling(SAMPLING_INTERVAL_US);
    for (let i = 0; i < REQUESTS; i++) await sendOne();
    for (const { worker, inspector } of inspectors) {
      const profile = await inspector.stopProfiling();
      sampled.push({ worker, profile });
      const file = `workerd-${name}-${worker}`.replace(/[^\w.-]+/g, "_");
      writeFileSync(path.join(OUT_DIR, `${file}.cpuprofile`), JSON.stringify(profile));
    }
  } finally {
    for (const { inspector } of inspectors) inspector.close();
  }

  const busy = sampled
    .map(({ worker, profile }) => ({ worker, profile, micros: busyTime(profile, SCALE) }))
    .filter(({ micros }) => micros >= 1)
    .sort((a, b) => b.micros - a.micros);
  report.push(
    `### ${name}: JavaScript µs per request, by Worker in the process`,
    table(
      ["Worker", "µs/req"],
      busy.map(({ worker, micros }) => [worker, fixed(micros, 1)]),
    ),
  );
  const main = busy.find(({ worker }) => worker.startsWith("core:user:"));
  if (!main) return undefined;
  // The API's minified frames by where they come from: its own module or a library's.
  const where = (f: CallFrame) => {
    const ours = main.worker.endsWith(":todo-api") && scriptOf(f) === "index.js";
    const origin: Partial<SourceMapping> = ours ? map.findEntry(f.lineNumber, f.columnNumber) : {};
    return origin.originalSource && origin.originalLine !== undefined
      ? `${origin.originalSource.replace(/^.*?(node_modules\/|worker\/src\/)/, "")}:${origin.originalLine + 1}`
      : `${scriptOf(f)}:${f.lineNumber + 1}`;
  };
  const top = selfTime(
    main.profile,
    SCALE,
    (f) => `${f.functionName || "(anonymous)"} ${where(f)}`,
  );
  report.push(
    `${main.worker}, top functions by self time:`,
    table(
      ["function", "µs/req"],
      top.slice(0, 15).map(([fn, us]) => [fn, fixed(us, 1)]),
    ),
  );
  return main.micros;
}

await benchRun("bench:profile:workerd", async (run) => {
  mkdirSync(OUT_DIR, { recursive: true });
  const { api: built, site } = await run.build();
  run.step("building the ablation Worker");
  const ablationBundle = await buildAblation(path.join(run.work, "ablation"));
  const { bundle, config } = built;
  const map = new SourceMap(
    JSON.parse(readFileSync(path.join(bundle.dir, `${bundle.mainModule}.map`), "utf8")),
  );
  const { jwtSecret } = run;
  const rows = seedRows();
  const tokens = await seededTokens(jwtSecret);

  // Under load, no inspector port is open on any of them (the profiled ones come below).
  const plainD1 = run.keep(await serveD1ListWorker(config, rows));
  const plainApi = run.keep(await serveApi({ ...built, jwtSecret, rows }));
  const secondApi = run.keep(await serveApi({ ...built, jwtSecret, rows }));
  const ablation = run.keep(await serveApi({ config, bundle: ablationBundle, jwtSecret, rows }));
  const reader = (skip: readonly string[] = []) => ({
    headers: {
      Authorization: `Bearer ${tokens.reader}`,
      ...(skip.length > 0 ? { [SKIP_HEADER]: skip.join(",") } : {}),
    },
  });
  const list = "/api/todos";
  const variants = [
    planned(plainD1, "d1.list", "bare D1 Worker: the list's batch", "/", reader()),
    planned(plainApi, "api.list", "API production bundle: GET /api/todos", list, reader()),
    planned(ablation, "none", "ablation Worker, nothing left out", list, reader()),
    ...STAGES.map((stage) => planned(ablation, stage, `without ${stage}`, list, reader([stage]))),
    planned(ablation, "all", `without all ${STAGES.length}`, list, reader(STAGES)),
    // The same bundle as api.list on a server of its own, last in each round: how far two
    // identical servers differ in this run, the noise every other figure is read against.
    planned(secondApi, "api.list.2", "API production bundle, second server", list, reader()),
  ];
  for (const target of variants) await checkTarget(target);
  const load = run.keep(new LoadGenerator());
  run.step(
    `ablations: ${variants.length} targets, ${CONNECTIONS} connections, ${LOAD.rounds} rounds of ${LOAD.secondsPerRound} s`,
  );
  const measured = await measureAll(load, variants, run.step, CONNECTIONS);
  const ratios = (id: string) => perRound(measured, id, "d1.list", "ratio") ?? [];
  const spread = (values: number[]) =>
    `${fixed(median(values))} (${fixed(Math.min(...values))}–${fixed(Math.max(...values))})`;
  const saved = (id: string) => median(perRound(measured, "none", id, "cpuAbove") ?? []);
  const notAblated = new Set(["d1.list", "api.list", "api.list.2"]);
  const report = [
    "## Ablations under load: the list without one stage at a time",
    loadTable(measured, [
      ["× bare D1 Worker (median; rounds' range)", (m) => spread(ratios(m.id))],
      ["− CPU vs nothing left out", (m) => (notAblated.has(m.id) ? "" : int(saved(m.id)))],
    ]),
    "## V8 profiles in workerd (one request at a time)",
  ];

  run.step(`profiles: ${REQUESTS} requests of each kind`);
  const api = run.keep(await serveApi({ ...built, jwtSecret, rows, inspect: true }));
  const d1 = run.keep(await serveD1ListWorker(config, rows, true));
  const served = run.keep(await siteTargets({ site, api, jwtSecret, inspect: true }));
  const isolates = new Map<string, number | undefined>();
  for (const [server, targets] of [
    [api, apiTargets(api, tokens).slice(0, 2)], // the list and the create
    [d1, d1Targets(d1)],
    [served.site, served.targets.filter((t) => t.id.startsWith("site."))],
  ] as const) {
    for (const { id, target } of targets) {
      isolates.set(id, await profileRequests(id, server, target, map, report));
    }
  }
  report.push("## The API's own isolate beside the bare D1 Worker's (same statements)");
  const own = [];
  for (const [route, floor] of [
    ["api.list", "d1.list"],
    ["api.create", "d1.create"],
  ] as const) {
    const [ours, bare] = [isolates.get(route), isolates.get(floor)];
    if (ours === undefined || bare === undefined) continue;
    own.push(
      `- ${route}: ${fixed(ours, 1)} − ${fixed(bare, 1)} = ${fixed(ours - bare, 1)} µs of JavaScript is the API's own.`,
    );
  }
  report.push(own.join("\n"));

  run.publish(
    "profile-",
    "Where the API's time goes (bench:profile:workerd)",
    [
      `${REQUESTS} profiled requests of each kind; ablations: autocannon, ${CONNECTIONS} connections, ${LOAD.rounds} interleaved rounds of ${LOAD.secondsPerRound} s.`,
      ...report,
    ],
    { measured, isolates: Object.fromEntries(isolates) },
  );
  run.step(`profiles: ${path.relative(ROOT, OUT_DIR)}/workerd-*.cpuprofile (Chrome DevTools)`);
});
