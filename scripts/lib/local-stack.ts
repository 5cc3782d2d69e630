import path from "node:path";
import { SHARDS } from "../../worker/src/shards.ts";
import { devAuthMigrationFiles } from "./dev-migrations.ts";

export const API_URL = "http://127.0.0.1:8787";
export const SITE_URL = "http://127.0.0.1:4321";
/**
 * The same site under a domain name: WebAuthn (passkeys) refuses an IP address as relying
 * party, so the end-to-end stack runs with `BETTER_AUTH_URL` set to this.
 */
export const LOCALHOST_SITE_URL = "http://localhost:4321";

type Step = { name: string; command: string[] };
type Migration = Step & { worker: "api" | "site" };
type Server = Step & {
  label: string;
  url: string;
  readyUrl: string;
  env?: NodeJS.ProcessEnv;
};

/**
 * The commands that make up the local stack, in order: migrations, then servers.
 * @param persistDir - where local D1 data lives; defaults to each Worker's .wrangler/state
 */
export function localStack(persistDir?: string) {
  const persist = (name: string) =>
    persistDir ? ["--persist-to", path.resolve(persistDir, name)] : [];
  const siteConfig = ["--config", "site/wrangler.jsonc"];

  const migrations: Migration[] = [
    // Every todo shard: wrangler creates each local database on its first migration.
    ...SHARDS.map((shard) => ({
      worker: "api" as const,
      name: `migrate:api:${shard.id}`,
      command: [
        "wrangler",
        "d1",
        "migrations",
        "apply",
        shard.binding,
        "--local",
        ...persist("api"),
      ],
    })),
    {
      worker: "site",
      name: "migrate:site",
      command: [
        "wrangler",
        "d1",
        "migrations",
        "apply",
        "AUTH_DB",
        "--local",
        ...siteConfig,
        ...persist("site"),
      ],
    },
    // Local-only tables of the auth database (the dev mailbox), after the real migrations.
    ...devAuthMigrationFiles().map((file) => ({
      worker: "site" as const,
      name: `migrate:site-dev ${path.basename(file)}`,
      command: [
        "wrangler",
        "d1",
        "execute",
        "AUTH_DB",
        "--local",
        "--file",
        file,
        ...siteConfig,
        ...persist("site"),
      ],
    })),
  ];

  const servers: Server[] = [
    {
      name: "api",
      label: "API",
      url: API_URL,
      readyUrl: `${API_URL}/health`,
      command: ["wrangler", "dev", "--ip", "127.0.0.1", "--port", "8787", ...persist("api")],
    },
    {
      name: "site",
      label: "Site",
      url: SITE_URL,
      readyUrl: `${SITE_URL}/sign-in`,
      command: ["npm", "run", "dev", "--workspace", "site"],
      env: persistDir ? { SITE_PERSIST_DIR: path.resolve(persistDir, "site") } : {},
    },
  ];

  return { migrations, servers };
}

/**
 * Runs the local migrations with `runStep`: each Worker's in order, the API's and the
 * site's at the same time (they write separate database files).
 */
export async function applyLocalMigrations(
  migrations: Migration[],
  runStep: (step: Migration) => Promise<void>,
): Promise<void> {
  const byWorker = Map.groupBy(migrations, (step) => step.worker);
  await Promise.all(
    [...byWorker.values()].map(async (steps) => {
      for (const step of steps) await runStep(step);
    }),
  );
}
