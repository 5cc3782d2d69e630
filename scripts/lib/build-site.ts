import path from "node:path";
import { BUILD_TIMEOUT_MS, buildWorker, type WorkerBundle } from "./build-worker.ts";
import { ROOT, run } from "./process.ts";
import { readWorkerConfig, type WorkerConfig } from "./worker-config.ts";

/** Built apart from site/dist (ignored by bench/.gitignore), so a concurrent site build cannot clash. */
const OUT_DIR = "bench/.site-dist";

export type BuiltSite = { config: WorkerConfig; bundle: WorkerBundle; assetsDir: string };

/** `astro build` (as `npm run build -w site` does), then the site's dry-run bundle. */
export async function buildSite(outdir: string): Promise<BuiltSite> {
  await run(
    path.join(ROOT, "node_modules/.bin/astro"),
    ["build", "--outDir", path.join(ROOT, OUT_DIR)],
    {
      cwd: path.join(ROOT, "site"),
      timeoutMs: BUILD_TIMEOUT_MS,
    },
  );
  const builtConfig = `${OUT_DIR}/server/wrangler.json`;
  const config = readWorkerConfig(builtConfig);
  return {
    config,
    bundle: await buildWorker(builtConfig, config.main, outdir),
    assetsDir: path.join(ROOT, OUT_DIR, "client"),
  };
}
