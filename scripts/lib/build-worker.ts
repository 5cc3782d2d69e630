import { cpSync, existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { handedBuild, type WorkerBundle } from "./handed-build.ts";
import { ROOT, run } from "./process.ts";

/** Upper bound for one `wrangler deploy --dry-run` or `astro build`. */
export const BUILD_TIMEOUT_MS = 180_000;

export type { WorkerBundle };

const isModule = (file: string) => /\.m?js$/.test(file);

/** Every module under `dir`, as paths relative to it. */
export function bundleAt(dir: string, mainModule: string): WorkerBundle {
  const modules = readdirSync(dir, { recursive: true, encoding: "utf8" }).filter(isModule).sort();
  if (!modules.includes(mainModule)) throw new Error(`${dir} has no ${mainModule}`);
  return { dir, mainModule, modules };
}

/**
 * Builds a Worker's production bundle exactly as `wrangler deploy` would upload it,
 * without uploading (`--dry-run --outdir`). Under `npm test`, the API's bundle
 * built once for the whole run (scripts/lib/handed-build.ts) is copied instead.
 *
 * @param main - the config's `main` entry; the bundle's entry module is named after it
 */
export async function buildWorker(
  configFile: string,
  main: string,
  outdir: string,
): Promise<WorkerBundle> {
  const handed = handedBuild();
  if (handed && path.resolve(ROOT, configFile) === path.join(ROOT, "wrangler.toml")) {
    console.log(`Taking the API bundle built once for this run (${handed.api.dir}).`);
    cpSync(handed.api.dir, outdir, { recursive: true });
    return bundleAt(outdir, handed.api.mainModule);
  }
  await run(
    path.join(ROOT, "node_modules/.bin/wrangler"),
    ["deploy", "--dry-run", "--config", configFile, "--outdir", outdir],
    { timeoutMs: BUILD_TIMEOUT_MS },
  );
  const entry = path.basename(main).replace(/\.[cm]?tsx?$/, ".js");
  if (!existsSync(path.join(outdir, entry))) throw new Error(`wrangler emitted no ${entry}`);
  return bundleAt(outdir, entry);
}
