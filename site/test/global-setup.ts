/**
 * Vitest global setup of the site tests: the Workers they run, built once. Under
 * `npm test` (TODO_TEST_BUILD set) the run's build is taken as it is; on its own,
 * `vitest run` builds into dist-test/ first (scripts/lib/test-build.ts).
 *
 * The shared stacks stop when the test process ends (test/stack.ts). A workerd
 * that outlives it anyway (seen when the process is ended while a stack is busy)
 * is stopped here: one started during this run, from this directory, whose parent is gone.
 */
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { handedBuild, type TestBuild } from "../../scripts/lib/handed-build.ts";
import { buildForTests, TEST_BUILD_DIR } from "../../scripts/lib/test-build.ts";

declare module "vitest" {
  export interface ProvidedContext {
    testBuild: TestBuild;
  }
}

const siteDir = path.resolve(import.meta.dirname, "..");

/** The workerd processes running from the site's directory, and whether their parent is gone. */
function workerdProcesses(): { pid: number; orphaned: boolean }[] {
  const found: { pid: number; orphaned: boolean }[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const command = readFileSync(`/proc/${entry}/cmdline`, "utf8");
      if (!command.includes("workerd") || readlinkSync(`/proc/${entry}/cwd`) !== siteDir) continue;
      const parent = readFileSync(`/proc/${entry}/stat`, "utf8").split(") ")[1]?.split(" ")[1];
      found.push({ pid: Number(entry), orphaned: parent === "1" });
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

export default async function setup(project: TestProject) {
  project.provide("testBuild", handedBuild() ?? (await buildForTests(TEST_BUILD_DIR)));
  const before = new Set(
    process.platform === "linux" ? workerdProcesses().map(({ pid }) => pid) : [],
  );
  return () => {
    if (process.platform !== "linux") return;
    for (const { pid, orphaned } of workerdProcesses()) {
      if (orphaned && !before.has(pid)) process.kill(pid, "SIGKILL");
    }
  };
}
