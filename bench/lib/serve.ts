import { randomBytes } from "node:crypto";
import type { BuiltSite } from "../../scripts/lib/build-site.ts";
import { bundleAt } from "../../scripts/lib/build-worker.ts";
import * as server from "../../scripts/lib/serve-worker.ts";
import type { WorkerConfig } from "../../scripts/lib/worker-config.ts";
import { childPids } from "./cpu.ts";
import { insertTodos, seedRows, USERS } from "./seed.ts";

type Database = WorkerConfig["d1Databases"][number];

export type ServedWorker = server.ServedWorker & {
  /** The workerd process serving it, for CPU accounting. */
  pid: number | undefined;
};

/** Serves `spec` (scripts/lib/serve-worker.ts), `rows` seeded in each of its D1s. */
export async function serveWorker(
  spec: server.WorkerSpec,
  rows: ReturnType<typeof seedRows> = [],
): Promise<ServedWorker> {
  const before = new Set(childPids("workerd"));
  const served = await server.serveWorker(spec);
  try {
    for (const db of served.databases.values()) await insertTodos(db, rows);
  } catch (error) {
    await served.close();
    throw error;
  }
  return { ...served, pid: childPids("workerd").find((pid) => !before.has(pid)) };
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
}: Pick<server.WorkerSpec, "bundle" | "port" | "inspect"> & {
  config: WorkerConfig;
  jwtSecret: string;
  rows?: ReturnType<typeof seedRows>;
}): Promise<ServedWorker> =>
  serveWorker(
    {
      ...spec,
      name: config.name,
      config,
      env: { JWT_SECRET: jwtSecret, JWT_SECRET_PREVIOUS: "" },
      databases: config.d1Databases,
    },
    rows,
  );

/** The built site with a fresh auth D1, reaching the API over HTTP at `apiUrl` as in local dev. */
export async function serveSite(
  site: BuiltSite,
  apiUrl: string,
  jwtSecret: string,
  inspect?: boolean,
): Promise<ServedWorker> {
  const port = await server.freePort();
  return serveWorker({
    name: site.config.name,
    bundle: site.bundle,
    config: site.config,
    port,
    assetsDir: site.assetsDir,
    databases: [firstDatabase(site.config)],
    inspect,
    env: {
      API_URL: apiUrl,
      BETTER_AUTH_URL: `http://127.0.0.1:${port}`,
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

/**
 * The bare D1 Worker: the API's own statements on the same seeded D1 with D1's API alone
 * (GET: the list's batch for the reader; POST: the create for the writer).
 */
export const serveD1ListWorker = (
  config: WorkerConfig,
  rows: ReturnType<typeof seedRows>,
  inspect?: boolean,
): Promise<ServedWorker> =>
  serveWorker(
    {
      name: "d1-list",
      bundle: baseline("d1-list"),
      config,
      env: { USER_ID: USERS.reader, WRITER_ID: USERS.writer },
      // The API's first todo database, bound as the bare Worker reads it.
      databases: [{ ...firstDatabase(config), binding: "DB" }],
      inspect,
    },
    rows,
  );

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
    databases: [firstDatabase(site.config)],
    env: { API_URL: apiUrl, TODOS_BODY: bodies.todos, SIGN_IN_BODY: bodies.signIn },
  });
