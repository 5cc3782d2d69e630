import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type BuiltSite, buildSite } from "../../scripts/lib/build-site.ts";
import { buildWorker, type WorkerBundle } from "../../scripts/lib/build-worker.ts";
import { ROOT } from "../../scripts/lib/process.ts";
import { readWorkerConfig, type WorkerConfig } from "../../scripts/lib/worker-config.ts";
import { factsTable, finishRun, heading, startRun, writeResults } from "./report.ts";

export type BuiltApi = { config: WorkerConfig; bundle: WorkerBundle };

/** The API's production bundle, built as `wrangler deploy --dry-run` builds it. */
export async function buildApi(outdir: string): Promise<BuiltApi> {
  const config = readWorkerConfig("wrangler.toml");
  return { config, bundle: await buildWorker("wrangler.toml", config.main, outdir) };
}

/** What a bench command's body gets from {@link benchRun}. */
export type BenchRun = {
  /** A scratch folder, removed when the run ends. */
  work: string;
  /** Fresh per run: no token from .dev.vars is ever valid against the bench's servers. */
  jwtSecret: string;
  step: (message: string) => void;
  /** Closes `server` when the run ends, whatever happens, the last kept first. */
  keep: <T extends { close: () => Promise<void> | void }>(server: T) => T;
  /** The API and the site, built as they deploy. */
  build: () => Promise<{ api: BuiltApi; site: BuiltSite }>;
  /**
   * Prints the report, headed by the run's facts (commit, dirty flag, load at its start and
   * end), and writes it to bench/results/<prefix><date>.md and .json.
   */
  publish: (
    prefix: string,
    title: string,
    sections: string[],
    data: Record<string, unknown>,
  ) => void;
};

/**
 * Runs a bench command's body: from the repository's root, its facts taken at the start,
 * every server it keeps closed at the end; a failure is printed and sets the exit code.
 */
export async function benchRun(name: string, body: (run: BenchRun) => Promise<void>) {
  process.chdir(ROOT);
  const began = Date.now();
  const step = (message: string) =>
    console.log(`[${name} ${Math.round((Date.now() - began) / 1000)} s] ${message}`);
  const closers: (() => Promise<void> | void)[] = [];
  const work = mkdtempSync(path.join(tmpdir(), `todo-${name.replace(":", "-")}-`));
  try {
    const started = await startRun();
    if (started.dirtyTree) step("the tree has uncommitted changes: the report will say so");
    await body({
      work,
      jwtSecret: randomBytes(48).toString("base64url"),
      step,
      keep: (server) => {
        closers.push(() => server.close());
        return server;
      },
      build: async () => {
        step(
          "building the API and the site as they deploy (wrangler deploy --dry-run, astro build)",
        );
        const api = await buildApi(path.join(work, "api"));
        return { api, site: await buildSite(path.join(work, "site")) };
      },
      publish: (prefix, title, sections, data) => {
        const facts = finishRun(started);
        const markdown = [heading(title, facts), ...sections, "## Machine", factsTable(facts)];
        console.log(`\n${markdown.join("\n\n")}`);
        const files = writeResults(`${prefix}${facts.date}`, `${markdown.join("\n\n")}\n`, {
          facts,
          ...data,
        });
        for (const file of files) step(`wrote ${file}`);
      },
    });
  } catch (error) {
    console.error(`\n[${name}] failed: ${(error as Error).stack}`);
    process.exitCode = 1;
  } finally {
    for (const close of closers.reverse()) await close();
    rmSync(work, { recursive: true, force: true });
  }
}
