import { type ChildProcess, execFile, spawn } from "node:child_process";
import { connect } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

export const ROOT = new URL("../../", import.meta.url).pathname;

/** Runs a command to completion (bounded by `timeoutMs`) and returns its stdout; throws on failure. */
export function run(
  command: string,
  args: readonly string[],
  options: { cwd?: string; timeoutMs: number; env?: NodeJS.ProcessEnv },
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      {
        cwd: options.cwd ?? ROOT,
        timeout: options.timeoutMs,
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, ...options.env },
      },
      (error, stdout, stderr) => {
        if (error) {
          const detail = stderr.trim().split("\n").slice(-15).join("\n");
          reject(new Error(`${command} ${args.join(" ")} failed: ${error.message}\n${detail}`));
        } else resolve(stdout);
      },
    );
  });
}

/** A long-running child in its own process group, so stopping it stops its children too. */
export function startProcess(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv },
): ChildProcess {
  const child = spawn(command, args, {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  // Drained so a chatty server never blocks on a full pipe; the tail is kept for error messages.
  const tail: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on("data", (chunk: Buffer) => {
      tail.push(chunk.toString());
      if (tail.length > 20) tail.shift();
    });
  }
  outputTails.set(child, tail);
  return child;
}

const outputTails = new WeakMap<ChildProcess, string[]>();

/** The last lines a child printed, for error messages. */
export const outputTail = (child: ChildProcess): string =>
  (outputTails.get(child) ?? []).join("").trim().split("\n").slice(-10).join("\n");

export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    return; // already gone
  }
  await Promise.race([exited, sleep(5_000)]);
  if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid, "SIGKILL");
}

/** Polls `url` until it answers with `expectStatus`, the child exits, or the deadline passes. */
export async function waitForHttp(
  url: string,
  timeoutMs: number,
  child?: ChildProcess,
  expectStatus = 200,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) {
      throw new Error(`server exited with code ${child.exitCode}:\n${outputTail(child)}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (response.status === expectStatus) return;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error(`${url} did not answer ${expectStatus} within ${timeoutMs / 1000} s`);
}

/** Throws a clear error when something already listens on the port. */
export async function assertPortFree(host: string, port: number): Promise<void> {
  const socket = connect({ host, port, timeout: 1_000 });
  const inUse = await new Promise<boolean>((resolve) => {
    socket.once("connect", () => resolve(true));
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => resolve(false));
  });
  socket.destroy();
  if (inUse)
    throw new Error(`port ${port} on ${host} is in use: stop what listens there and retry`);
}
