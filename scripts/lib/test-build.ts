import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { buildSite } from "./build-site.ts";
import { buildWorker } from "./build-worker.ts";
import { manifestPath, TEST_BUILD_ENV, type TestBuild } from "./handed-build.ts";
import { ROOT } from "./process.ts";
import { readWorkerConfig } from "./worker-config.ts";

/** Where `npm test` builds (ignored by git, like every dist-test/). */
export const TEST_BUILD_DIR = path.join(ROOT, "dist-test");

/**
 * Builds the API and the site as `wrangler deploy` would, into `dir`, and writes
 * its manifest last, so a build cut short is never taken for a whole one. The
 * API's dry run runs beside `astro build`.
 */
export async function buildForTests(dir: string): Promise<TestBuild> {
  // This builds; it must not take a build handed to it.
  delete process.env[TEST_BUILD_ENV];
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const api = readWorkerConfig("wrangler.toml");
  const [apiBundle, site] = await Promise.all([
    buildWorker("wrangler.toml", api.main, path.join(dir, "api-bundle")),
    buildSite(path.join(dir, "site-bundle"), path.join(dir, "site")),
  ]);
  const build: TestBuild = {
    api: apiBundle,
    site: {
      configPath: path.join(dir, "site/server/wrangler.json"),
      assetsDir: site.assetsDir,
      bundle: site.bundle,
    },
  };
  writeFileSync(manifestPath(dir), JSON.stringify(build, null, 2));
  return build;
}
