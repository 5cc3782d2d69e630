/**
 * `npm run dev`: one command for local development.
 * Creates .dev.vars files with fresh secrets when missing, applies both databases'
 * local migrations, starts the API (127.0.0.1:8787) and the site (127.0.0.1:4321),
 * prints both URLs, and stops both on Ctrl-C.
 *
 * PERSIST_DIR=<dir> keeps local D1 data there instead of .wrangler/state (tests use it).
 * AUTH_RATE_LIMIT_MAX / AUTH_RATE_LIMIT_WINDOW_SECONDS, when set, go into site/.dev.vars.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";
import { applySiteSettings, ensureDevVars, SITE_DEV_VARS } from "./lib/ensure-dev-vars.ts";
import { waitUntilAnswering } from "./lib/http-ready.ts";
import { migrateLocalStack } from "./lib/local-migrations.ts";
import { localStack, SITE_URL } from "./lib/local-stack.ts";

const stack = localStack(process.env.PERSIST_DIR);
const children: ChildProcess[] = [];

function run(name: string, command: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  const [file, ...args] = command as [string, ...string[]];
  const child = spawn(file, args, {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...env },
    detached: true,
  });
  for (const stream of [child.stdout, child.stderr]) {
    if (stream)
      createInterface({ input: stream }).on("line", (line) => console.log(`[${name}] ${line}`));
  }
  return child;
}

function exited(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode ?? 1);
    else child.once("exit", (code) => resolve(code ?? 1));
  });
}

/** Stops every server (each in its own process group), forcefully after 5 s. */
async function stopAll(): Promise<void> {
  const signal = (child: ChildProcess, name: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    try {
      process.kill(-child.pid, name);
    } catch {
      // already gone
    }
  };
  for (const child of children) signal(child, "SIGTERM");
  const stopped = Promise.all(children.map(exited));
  if ((await Promise.race([stopped.then(() => true), sleep(5000).then(() => false)])) === false) {
    for (const child of children) signal(child, "SIGKILL");
  }
}

let stopping = false;
for (const [signal, code] of [
  ["SIGINT", 130],
  ["SIGTERM", 143],
] as const) {
  // `on`, not `once`: wrangler (imported for the migrations) re-raises a signal that no
  // other listener handles any more, which would kill this process before its servers.
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void stopAll().then(() => process.exit(code));
  });
}

try {
  for (const created of ensureDevVars()) console.log(`Created ${created} with fresh secrets.`);
  for (const [key, value] of Object.entries(applySiteSettings(process.env))) {
    console.log(`Set ${key}=${value} in ${SITE_DEV_VARS}.`);
  }
  console.log("Migrating the local databases (every todo shard, the auth database)…");
  await migrateLocalStack(process.env.PERSIST_DIR);
  for (const server of stack.servers) children.push(run(server.name, server.command, server.env));
  const deadline = Date.now() + 180_000;
  await Promise.race([
    Promise.all(stack.servers.map((server) => waitUntilAnswering(server.readyUrl, deadline))),
    ...children.map(async (child) => {
      throw new Error(`a server exited early with code ${await exited(child)}`);
    }),
  ]);
  console.log("\nReady:");
  for (const server of stack.servers) console.log(`  ${server.label.padEnd(5)} ${server.url}`);
  console.log(`  ${"Mail".padEnd(5)} ${SITE_URL}/dev/mailbox (the emails the site would send)`);
  console.log("Press Ctrl-C to stop both.\n");
  const code = await Promise.race(children.map(exited));
  throw new Error(`a server exited with code ${code}`);
} catch (error) {
  // Ctrl-C stops the servers on purpose: the signal handler exits.
  if (stopping) await new Promise(() => {});
  console.error(`\n${(error as Error).message}`);
  await stopAll();
  process.exit(1);
}
