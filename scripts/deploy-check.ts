/**
 * `npm run deploy:check`: builds both Workers as `wrangler deploy` would
 * (`--dry-run --outdir`), prints their sizes and that of the JavaScript the site
 * sends to browsers, and fails when one is over budget.
 * The builds and budgets are the ones `npm run bench` reports.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { buildSite } from "./lib/build-site.ts";
import { buildWorker } from "./lib/build-worker.ts";
import { API_GZIP_LIMIT, BROWSER_JS_GZIP_LIMIT, SITE_GZIP_LIMIT } from "./lib/bundle-budgets.ts";
import { type BundleSize, browserScriptsSize, bundleSize } from "./lib/bundle-size.ts";
import { ROOT } from "./lib/process.ts";
import { readWorkerConfig } from "./lib/worker-config.ts";

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

process.chdir(ROOT);
const work = mkdtempSync(path.join(tmpdir(), "todo-deploy-check-"));
const rows: Array<BundleSize & { limit: number }> = [];
try {
  console.log("Building the API (wrangler deploy --dry-run)…");
  const api = readWorkerConfig("wrangler.toml");
  const apiBundle = await buildWorker("wrangler.toml", api.main, path.join(work, "api"));
  rows.push({ ...bundleSize("api", apiBundle), limit: API_GZIP_LIMIT });

  console.log("Building the site (astro build, then wrangler deploy --dry-run)…");
  const site = await buildSite(path.join(work, "site"));
  rows.push({ ...bundleSize("site", site.bundle), limit: SITE_GZIP_LIMIT });
  rows.push({ ...browserScriptsSize(site.assetsDir), limit: BROWSER_JS_GZIP_LIMIT });
} finally {
  rmSync(work, { recursive: true, force: true });
}

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
