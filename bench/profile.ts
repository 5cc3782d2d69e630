/**
 * `npm run bench:profile`: where the API's own CPU goes on its two hot paths, the
 * authenticated list (50 items) and POST /api/todos, without and with an Idempotency-Key.
 *
 * Builds the API exactly as `wrangler deploy` would, imports that bundle into Node
 * (the same V8) and calls its `fetch` with a real local D1 (Miniflare's, seeded like
 * `npm run bench`), under V8's sampling profiler. Every sample is charged to the
 * innermost frame of the bundle on its stack, named through the bundle's source map
 * (hono's router, zod, drizzle, our middleware…); samples outside the bundle (the D1
 * proxy to workerd, GC, idle) are reported apart. Writes the raw `.cpuprofile` next to
 * the table under bench/profile/.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { SourceMap } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { mintToken } from "@todo/worker/token";
import { Log, LogLevel, Miniflare } from "miniflare";
import { buildWorker } from "../scripts/lib/build-worker.ts";
import { ROOT } from "../scripts/lib/process.ts";
import { readWorkerConfig } from "../scripts/lib/worker-config.ts";
import { USERS } from "./lib/config.ts";
import { prepareD1, todoRowsFor } from "./lib/seed.ts";

const REQUESTS = Number(process.env.PROFILE_REQUESTS ?? 500);
const SAMPLING_INTERVAL_US = 50;
const OUT_DIR = path.join(ROOT, "bench/profile");
const SECRET = "profile-secret-0123456789abcdef0123456789abcdef";

type Fetcher = { fetch(request: Request, env: object, ctx: object): Promise<Response> };
type ProfileNode = {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
};
type Profile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };

function drizzleCategory(file: string): string {
  if (/^(src\/)?d1\//.test(file)) return "drizzle: D1 session (run, batch)";
  if (/^(src\/)?utils\.ts$|columns\//.test(file)) return "drizzle: mapping rows";
  return "drizzle: building SQL (query builders, dialect, sql)";
}

/** What a piece of the bundle's original source is, for the table. */
function categoryOf(source: string): string {
  const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(source);
  if (inPackage) {
    const [, name, file = ""] = inPackage;
    if (name === "hono") {
      if (/router/.test(file)) return "hono: router (match)";
      if (/jwt/.test(file)) return "hono: jwt (token check)";
      if (/validator/.test(file)) return "hono: validator";
      if (/context/.test(file)) return "hono: context (c.json, headers)";
      if (/request/.test(file)) return "hono: request (header, json)";
      if (/compose/.test(file)) return "hono: compose (middleware chain)";
      return `hono: ${path.basename(file)}`;
    }
    // drizzle-orm's own source maps name its files node_modules/src/…
    if (name === "drizzle-orm" || name === "src") return drizzleCategory(file);
    return name ?? source;
  }
  const ours = /worker\/src\/(.*)$/.exec(source);
  if (ours?.[1]) {
    const file = ours[1];
    if (file.startsWith("auth/")) return "ours: token check (auth/)";
    if (file.includes("route-guard")) return "ours: route guard";
    if (file.includes("request-log") || file === "log.ts") return "ours: log line";
    if (file.includes("api-headers")) return "ours: response headers";
    return `ours: ${file}`;
  }
  return `bundle: ${source}`;
}

function attribute(profile: Profile, bundleUrl: string, map: SourceMap) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);
  const categoryFor = new Map<number, string>();
  const classify = (id: number): string => {
    const known = categoryFor.get(id);
    if (known !== undefined) return known;
    const leaf = byId.get(id);
    let category = "other (Node)";
    const name = leaf?.callFrame.functionName ?? "";
    if (name === "(garbage collector)") category = "GC";
    else if (name === "(idle)") category = "idle (waiting for D1)";
    else if (name === "(program)") category = "V8/Node (program)";
    else if (leaf?.callFrame.url === "" && /^(stringify|parse)$/.test(name))
      category = "JSON.stringify/parse";
    else {
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        const frame = byId.get(at)?.callFrame;
        if (frame === undefined) break;
        if (frame.url === bundleUrl) {
          const origin = map.findEntry(frame.lineNumber, frame.columnNumber);
          category = categoryOf("originalSource" in origin ? origin.originalSource : "?");
          break;
        }
        if (/miniflare|undici|capnp|wrangler/.test(frame.url)) {
          category = "D1 proxy (Node ↔ workerd, not the API)";
          break;
        }
      }
    }
    categoryFor.set(id, category);
    return category;
  };
  const micros = new Map<string, number>();
  // Samples times the interval, not timeDeltas: the D1 proxy blocks the thread on
  // synchronous replies, and the sample after such a block carries the whole wait.
  for (const id of profile.samples) {
    const category = classify(id);
    micros.set(category, (micros.get(category) ?? 0) + SAMPLING_INTERVAL_US);
  }
  return micros;
}

async function profiled(name: string, session: Session, run: () => Promise<void>) {
  await session.post("Profiler.start");
  const started = performance.now();
  await run();
  const wallMs = performance.now() - started;
  const { profile } = (await session.post("Profiler.stop")) as { profile: Profile };
  writeFileSync(path.join(OUT_DIR, `${name}.cpuprofile`), JSON.stringify(profile));
  return { profile, wallMs };
}

function printTable(title: string, micros: Map<string, number>, requests: number) {
  const excluded = /^(idle|D1 proxy|GC|V8\/Node|other)/;
  const own = [...micros].filter(([category]) => !excluded.test(category));
  const ownTotal = own.reduce((sum, [, us]) => sum + us, 0);
  console.log(`\n${title}: the API's own code, ${(ownTotal / requests).toFixed(1)} µs per request`);
  console.log(`${"where".padEnd(44)} ${"µs/req".padStart(8)} ${"share".padStart(7)}`);
  for (const [category, us] of own.sort((a, b) => b[1] - a[1])) {
    const share = `${((us / ownTotal) * 100).toFixed(1)} %`;
    console.log(
      `${category.padEnd(44)} ${(us / requests).toFixed(1).padStart(8)} ${share.padStart(7)}`,
    );
  }
  console.log("outside the API's code (not in the share above):");
  for (const [category, us] of [...micros]
    .filter(([c]) => excluded.test(c))
    .sort((a, b) => b[1] - a[1])) {
    console.log(`  ${category.padEnd(42)} ${(us / requests).toFixed(1).padStart(8)}`);
  }
}

process.chdir(ROOT);
mkdirSync(OUT_DIR, { recursive: true });
const work = mkdtempSync(path.join(tmpdir(), "todo-profile-"));
const config = readWorkerConfig("wrangler.toml");
const database = config.d1Databases[0];
if (database === undefined) throw new Error("wrangler.toml binds no D1 database");
// A Worker that only holds the real local D1 the profiled bundle talks to.
const mf = new Miniflare({
  host: "127.0.0.1",
  port: 0,
  cf: false,
  log: new Log(LogLevel.WARN),
  resourcePersistencePath: path.join(work, "d1"),
  workers: [
    {
      config: {
        name: "d1-holder",
        compatibilityDate: config.compatibilityDate,
        manifest: {
          mainModule: "index.js",
          modules: {
            "index.js": {
              type: "esm",
              contents: "export default { fetch: () => new Response(null) }",
            },
          },
        },
        env: { [database.binding]: { type: "d1", id: database.id } },
      },
    },
  ],
});
try {
  console.log("Building the API (wrangler deploy --dry-run)…");
  const bundle = await buildWorker("wrangler.toml", config.main, path.join(work, "api"));
  const bundlePath = path.join(bundle.dir, bundle.mainModule);
  const bundleUrl = pathToFileURL(bundlePath).href;
  const map = new SourceMap(JSON.parse(readFileSync(`${bundlePath}.map`, "utf8")));
  const app = (await import(bundleUrl)).default as Fetcher;

  const db = await mf.getD1Database(database.binding);
  await prepareD1(db, database.migrationsDir, todoRowsFor(USERS.reader));
  // Every shard on the one database, whichever shard a bench user hashes to.
  const env = {
    ...Object.fromEntries(config.d1Databases.map((d1) => [d1.binding, db])),
    JWT_SECRET: SECRET,
  };
  const ctx = { waitUntil() {}, passThroughOnException() {}, props: {} };
  const reader = (await mintToken(USERS.reader, SECRET)).token;
  const writer = (await mintToken(USERS.writer, SECRET)).token;
  const list = () =>
    app.fetch(
      new Request("http://api.test/api/todos", { headers: { Authorization: `Bearer ${reader}` } }),
      env,
      ctx,
    );
  let created = 0;
  const create = (idempotencyKey?: string) =>
    app.fetch(
      new Request("http://api.test/api/todos", {
        method: "POST",
        headers: {
          Authorization: `Bearer ${writer}`,
          "Content-Type": "application/json",
          ...(idempotencyKey ? { "Idempotency-Key": idempotencyKey } : {}),
        },
        body: JSON.stringify({ title: `Profiled todo ${++created}`, description: "notes" }),
      }),
      env,
      ctx,
    );
  const createKeyed = () => create(`profile-${created}`);
  const check = async (response: Promise<Response>, status: number) => {
    const answer = await response;
    await answer.arrayBuffer();
    if (answer.status !== status) throw new Error(`expected ${status}, got ${answer.status}`);
  };

  console.log(`Warming up, then profiling ${REQUESTS} requests of each kind…`);
  const log = console.log;
  console.log = () => {}; // the request log line still runs; only the terminal is spared
  try {
    for (let i = 0; i < 200; i++) {
      await check(list(), 200);
      await check(create(), 201);
      await check(createKeyed(), 201);
    }
    const session = new Session();
    session.connect();
    await session.post("Profiler.enable");
    await session.post("Profiler.setSamplingInterval", { interval: SAMPLING_INTERVAL_US });
    const listRun = await profiled("list", session, async () => {
      for (let i = 0; i < REQUESTS; i++) await check(list(), 200);
    });
    const postRun = await profiled("post", session, async () => {
      for (let i = 0; i < REQUESTS; i++) await check(create(), 201);
    });
    const keyedRun = await profiled("post-keyed", session, async () => {
      for (let i = 0; i < REQUESTS; i++) await check(createKeyed(), 201);
    });
    session.disconnect();
    console.log = log;
    printTable(
      "GET /api/todos (50 items, auth)",
      attribute(listRun.profile, bundleUrl, map),
      REQUESTS,
    );
    printTable("POST /api/todos (auth)", attribute(postRun.profile, bundleUrl, map), REQUESTS);
    printTable(
      "POST /api/todos with Idempotency-Key (auth)",
      attribute(keyedRun.profile, bundleUrl, map),
      REQUESTS,
    );
    console.log(
      `\nProfiles: ${path.relative(ROOT, OUT_DIR)}/{list,post,post-keyed}.cpuprofile (open in Chrome DevTools)`,
    );
  } finally {
    console.log = log;
  }
} finally {
  await mf.dispose();
  rmSync(work, { recursive: true, force: true });
}
