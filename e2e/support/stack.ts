import { type ChildProcess, spawn } from "node:child_process";
import {
  createWriteStream,
  mkdirSync,
  mkdtempSync,
  rmSync,
  type WriteStream,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { readDevVars } from "../../scripts/lib/dev-vars.ts";
import { API_DEV_VARS, ensureDevVars, SITE_DEV_VARS } from "../../scripts/lib/ensure-dev-vars.ts";
import { handedBuild, type TestBuild } from "../../scripts/lib/handed-build.ts";
import { isAnswering, waitUntilAnswering } from "../../scripts/lib/http-ready.ts";
import { migrateLocalStack } from "../../scripts/lib/local-migrations.ts";
import { API_URL, LOCALHOST_SITE_URL, SITE_URL } from "../../scripts/lib/local-stack.ts";
import { buildForTests, TEST_BUILD_DIR } from "../../scripts/lib/test-build.ts";
import type { SignOnSettings } from "./identity-provider.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
export const RESULTS_DIR = path.join(ROOT, "test-results");
const STARTUP_TIMEOUT_MS = 120_000;
const WRANGLER = path.join(ROOT, "node_modules/.bin/wrangler");

type StackOptions = { logName?: string; signOn?: SignOnSettings };

/** The build the stack serves: the one `npm test` made, else one made now (once per process). */
let ownBuild: Promise<TestBuild> | undefined;
function testBuild(): Promise<TestBuild> {
  const handed = handedBuild();
  if (handed) return Promise.resolve(handed);
  ownBuild ??= buildForTests(TEST_BUILD_DIR);
  return ownBuild;
}

const writeEnvFile = (file: string, vars: Record<string, string>) =>
  writeFileSync(
    file,
    Object.entries(vars)
      .map(([key, value]) => `${key}=${value}\n`)
      .join(""),
    { mode: 0o600 },
  );

/**
 * The secrets the stack runs with: those of `npm run dev` (.dev.vars, made with fresh
 * secrets when missing), so `npm run token` mints tokens its API accepts and a restarted
 * stack still accepts the sessions it handed out. They go to each Worker in a file of
 * their own beside the run's data, holding only the secrets: a developer's .dev.vars may
 * also hold settings, which would override the stack's.
 */
function secretsFiles(persistDir: string) {
  ensureDevVars();
  const pick = (file: string, keys: string[]) => {
    const all = readDevVars(path.join(ROOT, file));
    return Object.fromEntries(keys.flatMap((key) => (all[key] ? [[key, all[key]]] : [])));
  };
  const files = {
    api: path.join(persistDir, "api.secrets.env"),
    site: path.join(persistDir, "site.secrets.env"),
  };
  mkdirSync(persistDir, { recursive: true });
  writeEnvFile(files.api, pick(API_DEV_VARS, ["JWT_SECRET", "JWT_SECRET_PREVIOUS"]));
  writeEnvFile(files.site, pick(SITE_DEV_VARS, ["JWT_SECRET", "BETTER_AUTH_SECRET"]));
  return files;
}

function spawnLogged(name: string, command: readonly string[], log: WriteStream): ChildProcess {
  const [file, ...args] = command as [string, ...string[]];
  const child = spawn(file === "wrangler" ? WRANGLER : file, args, {
    cwd: ROOT,
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  for (const stream of [child.stdout, child.stderr]) {
    stream.on("data", (chunk: Buffer) => {
      for (const line of chunk.toString().split("\n")) if (line) log.write(`[${name}] ${line}\n`);
    });
  }
  return child;
}

const exited = (child: ChildProcess) =>
  new Promise<number>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode ?? 1);
    else child.once("exit", (code) => resolve(code ?? 1));
  });

/**
 * Starts the stack as deployed, on this machine: the API, and the production build of
 * the site (built once per run, scripts/lib/test-build.ts), each served by `wrangler dev`
 * on workerd at the addresses `npm run dev` uses. The local data lives in `persistDir`,
 * migrated as `npm run dev` migrates it (every shard, the auth database, the dev
 * mailbox's table). The site runs under `localhost` (passkeys take no IP address as
 * relying party) and reaches the API at its local URL. Resolves once both answer;
 * returns a function that stops both and waits for them to go.
 */
export async function startStack(persistDir: string, options: StackOptions = {}) {
  const logName = options.logName ?? "stack.log";
  if ((await isAnswering(`${API_URL}/health`)) || (await isAnswering(`${SITE_URL}/sign-in`))) {
    throw new Error(`Something already listens on ${API_URL} or ${SITE_URL}: stop it first.`);
  }
  const build = await testBuild();
  mkdirSync(RESULTS_DIR, { recursive: true });
  const log = createWriteStream(path.join(RESULTS_DIR, logName), { flags: "a" });
  const secrets = secretsFiles(persistDir);
  const children: ChildProcess[] = [];
  const stop = async () => {
    const running = children.filter((c) => c.exitCode === null && c.signalCode === null);
    for (const child of running) if (child.pid) process.kill(-child.pid, "SIGTERM");
    // Unref'd: once the stack is gone, nothing is left to keep the process alive.
    const gone = Promise.all(running.map(exited));
    if (!(await Promise.race([gone.then(() => true), sleep(10_000, false, { ref: false })]))) {
      for (const child of running) if (child.pid) process.kill(-child.pid, "SIGKILL");
    }
    log.end();
  };

  const siteVars: Record<string, string> = {
    API_URL,
    BETTER_AUTH_URL: LOCALHOST_SITE_URL,
    AUTH_RATE_LIMIT_MAX: "10000",
    ...(options.signOn && {
      OIDC_ISSUER: options.signOn.issuer,
      OIDC_CLIENT_ID: options.signOn.clientId,
      // A var, not a secret: locally wrangler loads only the config's required secrets
      // from an env file, and single sign-on is optional, so its secret is not among them.
      OIDC_CLIENT_SECRET: options.signOn.clientSecret,
      OIDC_NAME: options.signOn.name,
    }),
  };
  const serve = ["wrangler", "dev", "--ip", "127.0.0.1", "--inspector-port", "0"];
  const persist = (name: string) => ["--persist-to", path.join(persistDir, name)];

  try {
    await migrateLocalStack(persistDir);
    children.push(
      spawnLogged(
        "api",
        [...serve, "--port", "8787", "--env-file", secrets.api, ...persist("api")],
        log,
      ),
      spawnLogged(
        "site",
        [
          ...serve,
          "--config",
          build.site.configPath,
          "--port",
          "4321",
          "--env-file",
          secrets.site,
          ...persist("site"),
          ...Object.entries(siteVars).flatMap(([key, value]) => ["--var", `${key}:${value}`]),
        ],
        log,
      ),
    );
    const deadline = Date.now() + STARTUP_TIMEOUT_MS;
    await Promise.race([
      Promise.all([
        waitUntilAnswering(`${API_URL}/health`, deadline),
        waitUntilAnswering(`${SITE_URL}/sign-in`, deadline),
      ]),
      ...children.map(async (child) => {
        const code = await exited(child);
        throw new Error(`a server exited early with code ${code}; see test-results/${logName}`);
      }),
    ]);
  } catch (error) {
    await stop();
    throw error;
  }
  return stop;
}

/** A temporary directory for one run's local data. */
export const freshPersistDir = () => mkdtempSync(path.join(tmpdir(), "todo-e2e-"));
export const removePersistDir = (dir: string) => rmSync(dir, { recursive: true, force: true });
