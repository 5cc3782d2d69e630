import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { Log, LogLevel, Miniflare } from "miniflare";
import type { BuiltSite } from "../../scripts/lib/build-site.ts";
import { bundleAt, type WorkerBundle } from "../../scripts/lib/build-worker.ts";
import { assertPortFree } from "../../scripts/lib/process.ts";
import type { WorkerConfig } from "../../scripts/lib/worker-config.ts";
import { childPids } from "./cpu.ts";
import { type D1, prepareD1, seedRows, USERS } from "./seed.ts";

const HOST = "127.0.0.1";
/** A port the system says is free now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

type Binding = { type: "text"; value: string } | { type: "d1"; id: string };
type Database = WorkerConfig["d1Databases"][number];

export type WorkerSpec = {
  name: string;
  bundle: WorkerBundle;
  config: Pick<WorkerConfig, "compatibilityDate" | "compatibilityFlags">;
  env: Record<string, string>;
  /** A free one when not given. */
  port?: number;
  /** Fresh local D1s, each bound as its `binding`: the real migrations, then `rows` in each. */
  d1?: { databases: Database[]; rows: ReturnType<typeof seedRows> };
  /** Static assets in front, behind an `ASSETS` binding (the site's). */
  assetsDir?: string;
  /** V8's inspector on a free port, for CPU profiles of the served Worker. */
  inspect?: boolean;
};

export type ServedWorker = {
  url: string;
  /** The workerd process serving it, for CPU accounting. */
  pid: number | undefined;
  /** Where V8's inspector listens, when asked for. */
  inspectorPort: number | undefined;
  /** The Worker's D1s (when it has any), for seeding them from here. */
  d1: () => Promise<D1[]>;
  close: () => Promise<void>;
};

/**
 * Serves one Worker on workerd through Miniflare, on a direct socket to the Worker:
 * Miniflare's entry Worker (about 3× the cost in throughput) and wrangler dev's Node proxy
 * stay out of the path. Log lines are drained and dropped, as in production.
 */
export async function serveWorker(spec: WorkerSpec): Promise<ServedWorker> {
  const port = spec.port ?? (await freePort());
  await assertPortFree(HOST, port);
  const before = new Set(childPids("workerd"));
  const persist = spec.d1 ? mkdtempSync(path.join(tmpdir(), "todo-bench-d1-")) : undefined;
  const inspectorPort = spec.inspect ? await freePort() : undefined;
  const env: Record<string, Binding> = Object.fromEntries(
    Object.entries(spec.env).map(([name, value]) => [name, { type: "text", value }]),
  );
  for (const { binding, id } of spec.d1?.databases ?? []) env[binding] = { type: "d1", id };
  const miniflare = new Miniflare({
    host: HOST,
    port: 0,
    cf: false,
    logRequests: false,
    enableDevRegistry: false,
    log: new Log(LogLevel.WARN),
    handleStructuredLogs: () => {},
    resourcePersistencePath: persist,
    inspectorPort,
    workers: [
      {
        config: {
          name: spec.name,
          compatibilityDate: spec.config.compatibilityDate,
          compatibilityFlags: spec.config.compatibilityFlags,
          manifest: {
            mainModule: spec.bundle.mainModule,
            modules: Object.fromEntries(
              spec.bundle.modules.map((name) => [
                name,
                { type: "esm", contents: readFileSync(path.join(spec.bundle.dir, name), "utf8") },
              ]),
            ),
          },
          env: spec.assetsDir ? { ...env, ASSETS: { type: "assets" } } : env,
          ...(spec.assetsDir ? { assets: { directory: spec.assetsDir, hasUserWorker: true } } : {}),
        },
        dev: { unsafeDirectSockets: [{ host: HOST, port }] },
      },
    ],
  });
  const close = async () => {
    await miniflare.dispose();
    if (persist) rmSync(persist, { recursive: true, force: true });
  };
  try {
    await miniflare.ready;
    const databases = spec.d1?.databases ?? [];
    const d1 = () => Promise.all(databases.map((db) => miniflare.getD1Database(db.binding)));
    for (const [index, db] of (await d1()).entries()) {
      await prepareD1(db, databases[index]?.migrationsDir ?? "", spec.d1?.rows ?? []);
    }
    const pid = childPids("workerd").find((candidate) => !before.has(candidate));
    return { url: `http://${HOST}:${port}`, pid, inspectorPort, d1, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** A wrangler config's first D1 database. */
export function firstDatabase(config: WorkerConfig): Database {
  const database = config.d1Databases[0];
  if (!database) throw new Error(`${config.name}'s wrangler config binds no D1 database`);
  return database;
}

/** The API's production bundle with fresh local D1s (every todo database), `rows` seeded in each. */
export const serveApi = ({
  config,
  jwtSecret,
  rows = seedRows(),
  ...spec
}: Pick<WorkerSpec, "bundle" | "port" | "inspect"> & {
  config: WorkerConfig;
  jwtSecret: string;
  rows?: ReturnType<typeof seedRows>;
}): Promise<ServedWorker> =>
  serveWorker({
    ...spec,
    name: config.name,
    config,
    env: { JWT_SECRET: jwtSecret, JWT_SECRET_PREVIOUS: "" },
    d1: { databases: config.d1Databases, rows },
  });

/** The built site with a fresh auth D1, reaching the API over HTTP at `apiUrl` as in local dev. */
export async function serveSite(
  site: BuiltSite,
  apiUrl: string,
  jwtSecret: string,
  inspect?: boolean,
): Promise<ServedWorker> {
  const port = await freePort();
  return serveWorker({
    name: site.config.name,
    bundle: site.bundle,
    config: site.config,
    port,
    assetsDir: site.assetsDir,
    d1: { databases: [firstDatabase(site.config)], rows: [] },
    inspect,
    env: {
      API_URL: apiUrl,
      BETTER_AUTH_URL: `http://${HOST}:${port}`,
      // The bench signs people up; the limit only has to let that through.
      AUTH_RATE_LIMIT_MAX: "1000",
      AUTH_RATE_LIMIT_WINDOW_SECONDS: "60",
      JWT_SECRET: jwtSecret,
      BETTER_AUTH_SECRET: randomBytes(48).toString("base64url"),
    },
  });
}

const baseline = (name: string) =>
  bundleAt(new URL(`../baseline/${name}/`, import.meta.url).pathname, "worker.js");

/** The bare Worker, served as the API is, answering every request with `body`. */
export const serveBareWorker = (config: WorkerConfig, body: string): Promise<ServedWorker> =>
  serveWorker({ name: "bare", bundle: baseline("bare"), config, env: { BODY: body } });

/**
 * The bare D1 Worker: the API's own statements on the same seeded D1 with D1's API alone
 * (GET: the list's batch for the reader; POST: the create for the writer).
 */
export const serveD1ListWorker = (
  config: WorkerConfig,
  rows: ReturnType<typeof seedRows>,
  inspect?: boolean,
): Promise<ServedWorker> =>
  serveWorker({
    name: "d1-list",
    bundle: baseline("d1-list"),
    config,
    env: { USER_ID: USERS.reader, WRITER_ID: USERS.writer },
    // The API's first todo database, bound as the bare Worker reads it.
    d1: { databases: [{ ...firstDatabase(config), binding: "DB" }], rows },
    inspect,
  });

/**
 * The site's floor (baseline/site-floor), served as the site is: its static assets in front,
 * a fresh auth D1 (for a copy of the served site's people and sessions), the same API.
 */
export const serveSiteFloor = (
  site: BuiltSite,
  apiUrl: string,
  bodies: { todos: string; signIn: string },
): Promise<ServedWorker> =>
  serveWorker({
    name: "site-floor",
    bundle: baseline("site-floor"),
    config: site.config,
    assetsDir: site.assetsDir,
    d1: { databases: [firstDatabase(site.config)], rows: [] },
    env: { API_URL: apiUrl, TODOS_BODY: bodies.todos, SIGN_IN_BODY: bodies.signIn },
  });
