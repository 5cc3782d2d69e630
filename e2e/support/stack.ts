import { type ChildProcess, spawn } from "node:child_process";
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { TestProject } from "vitest/node";
import { removeDevVars } from "../../scripts/lib/dev-vars.ts";
import { SITE_DEV_VARS, SITE_SETTINGS_FROM_ENV } from "../../scripts/lib/ensure-dev-vars.ts";
import { isAnswering, waitUntilAnswering } from "../../scripts/lib/http-ready.ts";
import {
  API_URL,
  LOCALHOST_SITE_URL,
  localStack,
  SITE_URL,
} from "../../scripts/lib/local-stack.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
export const RESULTS_DIR = path.join(ROOT, "test-results");
const STARTUP_TIMEOUT_MS = 240_000;

function exitedEarly(child: ChildProcess, logName: string): Promise<never> {
  return new Promise((_, reject) =>
    child.once("exit", (code) =>
      reject(new Error(`npm run dev exited with code ${code}; see test-results/${logName}`)),
    ),
  );
}

/**
 * Starts the stack exactly as `npm run dev` does, keeping its local data in
 * `persistDir`, and resolves once both servers answer. Returns a function that
 * stops both and waits for them to go.
 */
export async function startStack(persistDir: string, logName = "stack.log") {
  if ((await isAnswering(`${API_URL}/health`)) || (await isAnswering(`${SITE_URL}/sign-in`))) {
    throw new Error(`Something already listens on ${API_URL} or ${SITE_URL}: stop it first.`);
  }
  mkdirSync(RESULTS_DIR, { recursive: true });
  const restoreDevVars = keepSiteDevVars();
  const log = createWriteStream(path.join(RESULTS_DIR, logName), { flags: "a" });
  const dev = spawn(process.execPath, ["scripts/dev.ts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      PERSIST_DIR: persistDir,
      AUTH_RATE_LIMIT_MAX: "10000",
      // Passkeys need the site under a domain name (see LOCALHOST_SITE_URL).
      BETTER_AUTH_URL: LOCALHOST_SITE_URL,
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  dev.stdout.pipe(log);
  dev.stderr.pipe(log);

  const stop = async () => {
    if (dev.exitCode === null && dev.signalCode === null && dev.pid !== undefined) {
      const gone = new Promise((resolve) => dev.once("exit", resolve));
      process.kill(-dev.pid, "SIGTERM");
      // An unref'd timer: once the stack is gone, nothing is left to keep the process alive.
      await Promise.race([gone, sleep(15_000, undefined, { ref: false })]);
    }
    log.end();
    restoreDevVars();
  };

  try {
    const deadline = Date.now() + STARTUP_TIMEOUT_MS;
    await Promise.race([
      Promise.all(
        localStack().servers.map((server) => waitUntilAnswering(server.readyUrl, deadline)),
      ),
      exitedEarly(dev, logName),
    ]);
  } catch (error) {
    await stop();
    throw error;
  }
  return stop;
}

/**
 * `npm run dev` writes the raised rate limit into site/.dev.vars; this puts the
 * developer's file back as it was. A file the run created keeps its fresh secrets
 * (a restarted stack must still accept its sessions) and loses only the settings.
 */
function keepSiteDevVars(): () => void {
  const file = path.join(ROOT, SITE_DEV_VARS);
  const before = existsSync(file) ? readFileSync(file, "utf8") : undefined;
  return () => {
    if (before !== undefined) writeFileSync(file, before);
    else removeDevVars(file, SITE_SETTINGS_FROM_ENV);
  };
}

/** A temporary directory for one run's local data. */
export const freshPersistDir = () => mkdtempSync(path.join(tmpdir(), "todo-e2e-"));
export const removePersistDir = (dir: string) => rmSync(dir, { recursive: true, force: true });

/**
 * Vitest global setup: one stack on fresh local data for the whole run, torn
 * down afterwards, also on failure. With E2E_USE_RUNNING_STACK=1 it uses the
 * `npm run dev` you started yourself instead.
 */
export default async function setup(project: TestProject) {
  if (process.env.E2E_USE_RUNNING_STACK === "1") return;
  const persistDir = freshPersistDir();
  // Tests that work on the local data beside the stack (npm run shard:move) need to know where.
  project.provide("persistDir", persistDir);
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

declare module "vitest" {
  export interface ProvidedContext {
    /** The stack's PERSIST_DIR; unset when the tests use a stack started by hand. */
    persistDir?: string;
  }
}
