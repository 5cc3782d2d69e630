import { type ChildProcess, spawn } from "node:child_process";
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  type WriteStream,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { freshSecret, readDevVars } from "../../scripts/lib/dev-vars.ts";
import { handedBuild, type TestBuild } from "../../scripts/lib/handed-build.ts";
import { isAnswering, waitUntilAnswering } from "../../scripts/lib/http-ready.ts";
import { API_URL, SITE_URL } from "../../scripts/lib/local-stack.ts";
import { buildForTests, TEST_BUILD_DIR } from "../../scripts/lib/test-build.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
export const RESULTS_DIR = path.join(ROOT, "test-results");
const STARTUP_TIMEOUT_MS = 240_000;
const WRANGLER = path.join(ROOT, "node_modules/.bin/wrangler");

/** The build the stack serves: the one `npm test` made, else one made now (once per process). */
let ownBuild: Promise<TestBuild> | undefined;
function testBuild(): Promise<TestBuild> {
  const handed = handedBuild();
  if (handed) return Promise.resolve(handed);
  ownBuild ??= buildForTests(TEST_BUILD_DIR);
  return ownBuild;
}

/**
 * The secrets of one run's data, kept beside it, so a restarted stack still
 * accepts the sessions and tokens it handed out before.
 */
function secretsFile(persistDir: string): string {
  const file = path.join(persistDir, "secrets.env");
  if (!existsSync(file)) {
    mkdirSync(persistDir, { recursive: true });
    const secrets = { JWT_SECRET: freshSecret(), BETTER_AUTH_SECRET: freshSecret() };
    writeFileSync(
      file,
      Object.entries(secrets)
        .map(([key, value]) => `${key}=${value}\n`)
        .join(""),
      { mode: 0o600 },
    );
  }
  if (!readDevVars(file).JWT_SECRET) throw new Error(`${file} holds no JWT_SECRET`);
  return file;
}

function spawnLogged(name: string, args: string[], log: WriteStream): ChildProcess {
  const child = spawn(WRANGLER, args, {
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

async function runToEnd(name: string, args: string[], log: WriteStream, logName: string) {
  const code = await exited(spawnLogged(name, args, log));
  if (code !== 0) throw new Error(`${name} failed with code ${code}; see test-results/${logName}`);
}

/**
 * Starts the stack as deployed, on this machine: the API and the production build
 * of the site (built once per run, scripts/lib/test-build.ts), each served by
 * `wrangler dev` on workerd at the addresses `npm run dev` uses, the site calling
 * the API at its local URL. Local data lives in `persistDir` (both databases
 * migrated first), with the secrets made for it. Resolves once both answer;
 * returns a function that stops both and waits for them to go.
 */
export async function startStack(persistDir: string, logName = "stack.log") {
  if ((await isAnswering(`${API_URL}/health`)) || (await isAnswering(`${SITE_URL}/sign-in`))) {
    throw new Error(`Something already listens on ${API_URL} or ${SITE_URL}: stop it first.`);
  }
  const build = await testBuild();
  mkdirSync(RESULTS_DIR, { recursive: true });
  const log = createWriteStream(path.join(RESULTS_DIR, logName), { flags: "a" });
  const envFile = secretsFile(persistDir);
  const persist = (name: string) => ["--persist-to", path.join(persistDir, name)];
  const siteConfig = ["--config", "site/wrangler.jsonc"];

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

  try {
    await Promise.all([
      runToEnd(
        "migrate:api",
        ["d1", "migrations", "apply", "DB", "--local", ...persist("api")],
        log,
        logName,
      ),
      runToEnd(
        "migrate:site",
        ["d1", "migrations", "apply", "AUTH_DB", "--local", ...siteConfig, ...persist("site")],
        log,
        logName,
      ),
    ]);
    const serve = ["dev", "--ip", "127.0.0.1", "--env-file", envFile, "--inspector-port", "0"];
    children.push(
      spawnLogged("api", [...serve, "--port", "8787", ...persist("api")], log),
      spawnLogged(
        "site",
        [
          ...serve,
          "--config",
          build.site.configPath,
          "--port",
          "4321",
          ...persist("site"),
          "--var",
          `API_URL:${API_URL}`,
          "--var",
          "AUTH_RATE_LIMIT_MAX:10000",
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

/**
 * Vitest global setup: one stack on fresh local data for the whole run, torn
 * down afterwards, also on failure. With E2E_USE_RUNNING_STACK=1 it uses the
 * `npm run dev` you started yourself instead.
 */
export default async function setup() {
  if (process.env.E2E_USE_RUNNING_STACK === "1") return;
  const persistDir = freshPersistDir();
  try {
    const stop = await startStack(persistDir);
    return async () => {
      await stop();
      removePersistDir(persistDir);
    };
  } catch (error) {
    removePersistDir(persistDir);
    throw error;
  }
}
