/**
 * Runs the built site and the real API Worker in workerd through wrangler's test
 * harness: real Better Auth, real D1 with the real migrations, no mocks. Requests
 * go through `harness.fetch`. Both Workers run from the bundles built once per run
 * (test/global-setup.ts provides them), so starting a stack bundles nothing.
 *
 * Stacks are shared: the site tests run in one process (`isolate: false`), and
 * every `startStack(options)` with equal options gets the same running stack,
 * whichever file asks. So a test never assumes a fresh database: it uses its own
 * people (`Browser` gives each its own client address, `uniqueIp()` gives more)
 * and looks only at their rows. `close()` of a shared stack does nothing; the
 * process stops them all at its end (Miniflare's exit hook ends workerd).
 * `{ isolated: true }` starts a stack of the caller's own, which `close()` stops.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { SHARDS } from "@todo/worker/shards";
import { inject } from "vitest";
import { createTestHarness, type TestHarness } from "wrangler";
import { applyDevAuthMigrations } from "../../scripts/lib/dev-migrations.ts";

/** Fixed test secrets (48 bytes), never used outside these tests. */
export const JWT_SECRET = "site-test-jwt-secret-0123456789abcdef0123456789ab";
export const BETTER_AUTH_SECRET = "site-test-auth-secret-0123456789abcdef0123456789";

/** The site's origin as the tests call it (matches BETTER_AUTH_URL). */
export const SITE = "http://127.0.0.1:4321";

const rootDir = path.resolve(import.meta.dirname, "../..");

export type StackOptions = {
  /** Site vars, e.g. `{ AUTH_RATE_LIMIT_MAX: "3" }` or `{ API_URL: "http://127.0.0.1:9" }`. */
  siteVars?: Record<string, string>;
  /** The site's JWT_SECRET; the API always uses {@link JWT_SECRET}. */
  siteJwtSecret?: string;
  /** Runs the site from a copy of its built config without the `API` service binding. */
  withoutApiBinding?: boolean;
  /** A stack of the caller's own, not shared with other tests; `close()` stops it. */
  isolated?: boolean;
};

export type Stack = {
  harness: TestHarness;
  /** A request to the site, as a browser at {@link SITE} would send it. */
  site: (pathname: string, init?: RequestInit) => Promise<Response>;
  /** A request straight to the API Worker. */
  api: (pathname: string, init?: RequestInit) => Promise<Response>;
  authDb: () => Promise<D1Database>;
  /** Stops an isolated stack; a shared one keeps running for the other tests. */
  close: () => Promise<void>;
};

/** The built site's wrangler.json without `services`, beside it (its paths are relative). */
function configWithoutApiBinding(built: string): string {
  const config = JSON.parse(readFileSync(built, "utf8")) as { services?: unknown };
  delete config.services;
  const copy = path.join(path.dirname(built), "wrangler.no-api-binding.json");
  writeFileSync(copy, JSON.stringify(config));
  return copy;
}

async function launch(options: StackOptions): Promise<Stack> {
  const build = inject("testBuild");
  const bindingOverrides: Record<string, string> = options.withoutApiBinding
    ? {}
    : { API: "todo-api" };
  const site = {
    configPath: options.withoutApiBinding
      ? configWithoutApiBinding(build.site.configPath)
      : build.site.configPath,
    prebuiltWorkerDir: build.site.bundle.dir,
    vars: {
      API_URL: "",
      BETTER_AUTH_URL: SITE,
      AUTH_RATE_LIMIT_MAX: "1000",
      AUTH_RATE_LIMIT_WINDOW_SECONDS: "60",
      ...options.siteVars,
    },
    secrets: { JWT_SECRET: options.siteJwtSecret ?? JWT_SECRET, BETTER_AUTH_SECRET },
    bindingOverrides,
  };
  const api = {
    configPath: path.join(rootDir, "wrangler.toml"),
    prebuiltWorkerDir: build.api.dir,
    secrets: { JWT_SECRET, JWT_SECRET_PREVIOUS: "" },
  };
  const harness = createTestHarness({ root: rootDir, workers: [site, api] });
  await harness.listen();
  await harness.getWorker("todo-site").applyD1Migrations("AUTH_DB");
  await applyDevAuthMigrations(
    (await harness.getWorker("todo-site").getEnv()).AUTH_DB as D1Database,
  );
  for (const shard of SHARDS) await harness.getWorker("todo-api").applyD1Migrations(shard.binding);

  const origin = new URL(site.vars.BETTER_AUTH_URL).origin;
  // The harness speaks Miniflare's (undici's) Request and Response; the tests,
  // typed with the Workers types, see them as the standard ones they are.
  const send = (worker: string, url: URL, init: RequestInit) =>
    harness.getWorker(worker).fetch(url, init as never) as unknown as Promise<Response>;
  return {
    harness,
    site: (pathname, init = {}) =>
      send("todo-site", new URL(pathname, origin), { redirect: "manual", ...init }),
    api: (pathname, init = {}) => send("todo-api", new URL(pathname, "http://api.test"), init),
    authDb: async () => (await harness.getWorker("todo-site").getEnv()).AUTH_DB as D1Database,
    close: () => harness.close(),
  };
}

/** The running shared stacks, by their options. */
const shared = new Map<string, Promise<Stack>>();

/** Options that mean the same stack give the same key, whatever order they were written in. */
function keyOf(options: StackOptions): string {
  const vars = Object.entries(options.siteVars ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify([vars, options.siteJwtSecret ?? "", options.withoutApiBinding === true]);
}

/** A running stack with these options: the shared one, or with `isolated` one of the caller's own. */
export function startStack(options: StackOptions = {}): Promise<Stack> {
  if (options.isolated) return launch(options);
  const key = keyOf(options);
  let stack = shared.get(key);
  if (!stack) {
    stack = launch(options).then((started) => ({ ...started, close: async () => {} }));
    // A stack that failed to start is not kept: the next caller tries again.
    stack.catch(() => shared.delete(key));
    shared.set(key, stack);
  }
  return stack;
}
