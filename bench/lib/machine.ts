import { readFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import path from "node:path";
import { ROOT, run } from "../../scripts/lib/process.ts";

const packageVersion = (name: string): string =>
  JSON.parse(readFileSync(path.join(ROOT, "node_modules", name, "package.json"), "utf8")).version;

async function gitCommit(): Promise<string> {
  try {
    const commit = (
      await run("git", ["rev-parse", "--short", "HEAD"], { timeoutMs: 5_000 })
    ).trim();
    const dirty = (
      await run(
        "git",
        ["status", "--porcelain", "--", "worker", "site", "bench", ":!bench/results"],
        {
          timeoutMs: 5_000,
        },
      )
    ).trim();
    return dirty ? `${commit} (with uncommitted changes)` : commit;
  } catch {
    return "unknown";
  }
}

/** The facts a reader needs to compare runs across machines. */
export async function machineFacts() {
  const workerd = await run(path.join(ROOT, "node_modules/.bin/workerd"), ["--version"], {
    timeoutMs: 10_000,
  });
  return {
    cpu: cpus()[0]?.model ?? "unknown",
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    workerd: workerd.trim(),
    miniflare: packageVersion("miniflare"),
    wrangler: packageVersion("wrangler"),
    autocannon: packageVersion("autocannon"),
    commit: await gitCommit(),
    /** Other work on the machine skews every figure; ratios within the run hold up better. */
    loadAverageAtStart: loadavg()[0]?.toFixed(2) ?? "unknown",
  };
}

export type MachineFacts = Awaited<ReturnType<typeof machineFacts>>;
