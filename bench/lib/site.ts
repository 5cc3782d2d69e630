import path from "node:path";
import { buildWorker, type WorkerBundle } from "./build.ts";
import { TIMEOUTS } from "./config.ts";
import { ROOT, run } from "./process.ts";
import { readWorkerConfig, type WorkerConfig } from "./worker-config.ts";

/** The config the site's build emits: what `wrangler deploy` deploys for the site. */
const BUILT_CONFIG = "site/dist/server/wrangler.json";

export type BuiltSite = { config: WorkerConfig; bundle: WorkerBundle; assetsDir: string };

/** `astro build` (as `npm run build -w site` does), then the site's dry-run bundle. */
export async function buildSite(outdir: string): Promise<BuiltSite> {
  await run(path.join(ROOT, "node_modules/.bin/astro"), ["build"], {
    cwd: path.join(ROOT, "site"),
    timeoutMs: TIMEOUTS.buildMs,
  });
  const config = readWorkerConfig(BUILT_CONFIG);
  return {
    config,
    bundle: await buildWorker(BUILT_CONFIG, config.main, outdir),
    assetsDir: path.join(ROOT, "site/dist/client"),
  };
}
