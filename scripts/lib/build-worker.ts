import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { ROOT, run } from "./process.ts";

/** Upper bound for one `wrangler deploy --dry-run` or `astro build`. */
export const BUILD_TIMEOUT_MS = 180_000;

/** A Worker's code as wrangler uploads it: ES modules under `dir`, one of them the entry. */
export type WorkerBundle = { dir: string; mainModule: string; modules: string[] };

const isModule = (file: string) => /\.m?js$/.test(file);

/** Every module under `dir`, as paths relative to it. */
export function bundleAt(dir: string, mainModule: string): WorkerBundle {
  const modules = readdirSync(dir, { recursive: true, encoding: "utf8" }).filter(isModule).sort();
  if (!modules.includes(mainModule)) throw new Error(`${dir} has no ${mainModule}`);
  return { dir, mainModule, modules };
}

/**
 * Builds a Worker's production bundle exactly as `wrangler deploy` would upload it,
 * without uploading (`--dry-run --outdir`).
 *
 * @param main - the config's `main` entry; the bundle's entry module is named after it
 */
export async function buildWorker(
  configFile: string,
  main: string,
  outdir: string,
): Promise<WorkerBundle> {
  await run(
    path.join(ROOT, "node_modules/.bin/wrangler"),
    ["deploy", "--dry-run", "--config", configFile, "--outdir", outdir],
    { timeoutMs: BUILD_TIMEOUT_MS },
  );
  const entry = path.basename(main).replace(/\.[cm]?tsx?$/, ".js");
  if (!existsSync(path.join(outdir, entry))) throw new Error(`wrangler emitted no ${entry}`);
  return bundleAt(outdir, entry);
}
