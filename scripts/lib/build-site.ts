import { cpSync } from "node:fs";
import path from "node:path";
import { BUILD_TIMEOUT_MS, buildWorker, bundleAt, type WorkerBundle } from "./build-worker.ts";
import { handedBuild } from "./handed-build.ts";
import { ROOT, run } from "./process.ts";
import { readWorkerConfig, type WorkerConfig } from "./worker-config.ts";

/** Built apart from site/dist (ignored by bench/.gitignore), so a concurrent site build cannot clash. */
const OUT_DIR = "bench/.site-dist";

export type BuiltSite = { config: WorkerConfig; bundle: WorkerBundle; assetsDir: string };

/**
 * `astro build` (as `npm run build -w site` does) into `astroOutDir`, then the
 * site's dry-run bundle into `outdir`. Under `npm test`, the site built once for
 * the whole run (scripts/lib/handed-build.ts) is taken instead.
 */
export async function buildSite(outdir: string, astroOutDir = OUT_DIR): Promise<BuiltSite> {
  const handed = handedBuild();
  if (handed) {
    console.log(`Taking the site built once for this run (${handed.site.bundle.dir}).`);
    cpSync(handed.site.bundle.dir, outdir, { recursive: true });
    return {
      config: readWorkerConfig(handed.site.configPath),
      bundle: bundleAt(outdir, handed.site.bundle.mainModule),
      assetsDir: handed.site.assetsDir,
    };
  }
  const astroDir = path.resolve(ROOT, astroOutDir);
  await run(path.join(ROOT, "node_modules/.bin/astro"), ["build", "--outDir", astroDir], {
    cwd: path.join(ROOT, "site"),
    timeoutMs: BUILD_TIMEOUT_MS,
  });
  const builtConfig = path.join(astroDir, "server/wrangler.json");
  const config = readWorkerConfig(builtConfig);
  return {
    config,
    bundle: await buildWorker(builtConfig, config.main, outdir),
    assetsDir: path.join(astroDir, "client"),
  };
}
