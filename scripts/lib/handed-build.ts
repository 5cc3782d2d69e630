/**
 * The Workers `npm test` builds once (scripts/test-build.ts) and hands to every
 * stage that needs them: it exports `TODO_TEST_BUILD=<dir>`, and the builders
 * (build-worker.ts, build-site.ts), the site tests and the end-to-end stack take
 * the bundles from that directory instead of building again. Without the
 * variable each stage builds for itself, as when it is run on its own.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

export const TEST_BUILD_ENV = "TODO_TEST_BUILD";

/** A Worker's code as wrangler uploads it: ES modules under `dir`, one of them the entry. */
export type WorkerBundle = { dir: string; mainModule: string; modules: string[] };

/** What one build holds, all paths absolute. */
export type TestBuild = {
  /** The API's `wrangler deploy --dry-run` output, from wrangler.toml. */
  api: WorkerBundle;
  site: {
    /** `astro build` output: `<dir>/server/wrangler.json`, the config as built. */
    configPath: string;
    /** The files served as static assets (the browser's scripts among them). */
    assetsDir: string;
    /** The site's `wrangler deploy --dry-run` output, from the built config. */
    bundle: WorkerBundle;
  };
};

/** The repository root: a relative TODO_TEST_BUILD is taken from there, wherever a stage runs. */
const ROOT = path.resolve(import.meta.dirname, "../..");

export const manifestPath = (dir: string) => path.join(dir, "build.json");

/** The build in `dir`, or undefined when there is none (or it was never finished). */
export function readTestBuild(dir: string): TestBuild | undefined {
  const file = manifestPath(dir);
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as TestBuild) : undefined;
}

/** The build this process was handed by `npm test`, if any; a named directory without one is an error. */
export function handedBuild(): TestBuild | undefined {
  const dir = process.env[TEST_BUILD_ENV];
  if (!dir) return undefined;
  const build = readTestBuild(path.resolve(ROOT, dir));
  if (!build)
    throw new Error(`${TEST_BUILD_ENV}=${dir} holds no build; run node scripts/test-build.ts`);
  return build;
}
