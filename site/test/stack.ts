/**
 * Runs the built site (dist-test/server, from `astro build --outDir dist-test`,
 * apart from dist/ so a concurrent build cannot pull it away) and the real API
 * Worker in workerd through wrangler's test harness: real Better Auth, real
 * D1 with the real migrations, no mocks. Requests go through `harness.fetch`.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { SHARDS } from "@todo/worker/shards";
import { createTestHarness, type TestHarness } from "wrangler";
import { applyDevAuthMigrations } from "../../scripts/lib/dev-migrations.ts";

/** Fixed test secrets (48 bytes), never used outside these tests. */
export const JWT_SECRET = "site-test-jwt-secret-0123456789abcdef0123456789ab";
export const BETTER_AUTH_SECRET = "site-test-auth-secret-0123456789abcdef0123456789";

/** The site's origin as the tests call it (matches BETTER_AUTH_URL). */
export const SITE = "http://127.0.0.1:4321";

const siteDir = path.resolve(import.meta.dirname, "..");

export type StackOptions = {
  /** Site vars, e.g. `{ AUTH_RATE_LIMIT_MAX: "3" }` or `{ API_URL: "http://127.0.0.1:9" }`. */
  siteVars?: Record<string, string>;
  /** The site's JWT_SECRET; the API always uses {@link JWT_SECRET}. */
  siteJwtSecret?: string;
  /** Runs the site from a copy of its built config without the `API` service binding. */
  withoutApiBinding?: boolean;
};

export type Stack = {
  harness: TestHarness;
  /** A request to the site, as a browser at {@link SITE} would send it. */
  site: (pathname: string, init?: RequestInit) => Promise<Response>;
  /** A request straight to the API Worker. */
  api: (pathname: string, init?: RequestInit) => Promise<Response>;
  authDb: () => Promise<D1Database>;
  close: () => Promise<void>;
};

/** The built site's wrangler.json without `services`, beside it (its paths are relative). */
function configWithoutApiBinding(): string {
  const built = path.join(siteDir, "dist-test/server/wrangler.json");
  const config = JSON.parse(readFileSync(built, "utf8")) as { services?: unknown };
  delete config.services;
  const copy = path.join(siteDir, "dist-test/server/wrangler.no-api-binding.json");
  writeFileSync(copy, JSON.stringify(config));
  return copy;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const bindingOverrides: Record<string, string> = options.withoutApiBinding
    ? {}
    : { API: "todo-api" };
  const site = {
    configPath: options.withoutApiBinding
      ? configWithoutApiBinding()
      : path.join(siteDir, "dist-test/server/wrangler.json"),
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
    configPath: path.join(siteDir, "../wrangler.toml"),
    secrets: { JWT_SECRET, JWT_SECRET_PREVIOUS: "" },
  };
  const harness = createTestHarness({
    root: siteDir,
    workers: [site, api],
  });
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
