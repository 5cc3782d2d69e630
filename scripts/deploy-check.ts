/**
 * `npm run deploy:check`: checks both wrangler configs against the deploy rules
 * (scripts/lib/deploy-config-rules.ts), builds both Workers as `wrangler deploy`
 * would (`--dry-run --outdir`), prints their sizes and that of the JavaScript
 * the site sends to browsers, and fails when a rule is broken or one is over budget. The builds and budgets are the ones
 * `npm run bench` reports.
 *
 * `--allow-local-origin` (what `npm test` passes) checks the committed configs
 * as templates: the site's `BETTER_AUTH_URL` may still be the loopback local
 * default. Before a real deploy, run it without.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { buildSite } from "./lib/build-site.ts";
import { buildWorker } from "./lib/build-worker.ts";
import { API_GZIP_LIMIT, BROWSER_JS_GZIP_LIMIT, SITE_GZIP_LIMIT } from "./lib/bundle-budgets.ts";
import { type BundleSize, browserScriptsSize, bundleSize } from "./lib/bundle-size.ts";
import {
  apiConfigProblems,
  deployedMigrationProblems,
  siteConfigProblems,
} from "./lib/deploy-config-rules.ts";
import { ROOT } from "./lib/process.ts";
import { type ShardConfig, shardBindingProblems } from "./lib/shard-config-rules.ts";
import { readWorkerConfig, readWorkerConfigFile } from "./lib/worker-config.ts";

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

/** Prints the problems under a heading and stops, before anything is built or deployed. */
function failOn(problems: string[], config: string): void {
  if (problems.length === 0) return;
  console.error(`deploy:check failed: ${config} is not deployable:`);
  for (const problem of problems) console.error(`  - ${problem}`);
  process.exit(1);
}

process.chdir(ROOT);
const apiConfig = readWorkerConfigFile("wrangler.toml");
failOn(shardBindingProblems(apiConfig as ShardConfig), "wrangler.toml");
failOn(
  siteConfigProblems(readWorkerConfigFile("site/wrangler.jsonc"), {
    apiName: apiConfig.name ?? "",
    allowLocalOrigin: process.argv.includes("--allow-local-origin"),
  }),
  "site/wrangler.jsonc",
);
for (const database of readWorkerConfig("site/wrangler.jsonc").d1Databases) {
  const files = readdirSync(database.migrationsDir)
    .filter((name) => name.endsWith(".sql"))
    .map((name) => ({ name, sql: readFileSync(path.join(database.migrationsDir, name), "utf8") }));
  failOn(deployedMigrationProblems(files), path.relative(ROOT, database.migrationsDir));
}
let hasScheduledHandler = false;
const work = mkdtempSync(path.join(tmpdir(), "todo-deploy-check-"));
const rows: Array<BundleSize & { limit: number }> = [];
try {
  console.log("Building the API (wrangler deploy --dry-run)…");
  const api = readWorkerConfig("wrangler.toml");
  const apiBundle = await buildWorker("wrangler.toml", api.main, path.join(work, "api"));
  rows.push({ ...bundleSize("api", apiBundle), limit: API_GZIP_LIMIT });
  const worker = await import(pathToFileURL(path.join(apiBundle.dir, apiBundle.mainModule)).href);
  hasScheduledHandler = typeof worker.default?.scheduled === "function";

  console.log("Building the site (astro build, then wrangler deploy --dry-run)…");
  const site = await buildSite(path.join(work, "site"));
  rows.push({ ...bundleSize("site", site.bundle), limit: SITE_GZIP_LIMIT });
  rows.push({ ...browserScriptsSize(site.assetsDir), limit: BROWSER_JS_GZIP_LIMIT });
} finally {
  rmSync(work, { recursive: true, force: true });
}
failOn(apiConfigProblems(apiConfig, { hasScheduledHandler }), "wrangler.toml");

console.log("\nBundle      files        raw       gzip   gzip budget");
for (const row of rows) {
  const verdict = row.gzipBytes <= row.limit ? "ok" : "OVER BUDGET";
  console.log(
    `${row.name.padEnd(10)} ${String(row.modules).padStart(6)} ${kib(row.rawBytes).padStart(10)} ${kib(row.gzipBytes).padStart(10)} ${kib(row.limit).padStart(13)}  ${verdict}`,
  );
}
if (rows.some((row) => row.gzipBytes > row.limit)) {
  console.error("\ndeploy:check failed: a bundle is over its gzip budget.");
  process.exit(1);
}
