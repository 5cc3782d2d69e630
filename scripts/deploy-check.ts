/**
 * `npm run deploy:check`: builds both Workers as `wrangler deploy` would
 * (`--dry-run --outdir`), prints their sizes, and fails when one is over budget.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { buildWorkerBundle, bundleSize, kib, type WorkerName } from "./lib/worker-bundle.ts";

/** gzip budgets: the API stays small to start fast; the site within a Free plan's 1 MiB (×3 MiB paid). */
const BUDGETS: Record<WorkerName, number> = { api: 100 * 1024, site: 1024 * 1024 };

const outRoot = mkdtempSync(path.join(tmpdir(), "todo-deploy-check-"));
let failed = false;
try {
  const rows = (Object.keys(BUDGETS) as WorkerName[]).map((worker) => {
    const size = bundleSize(buildWorkerBundle(worker, path.join(outRoot, worker)));
    const ok = size.gzip <= BUDGETS[worker];
    failed ||= !ok;
    return { worker, ...size, budget: BUDGETS[worker], ok };
  });
  console.log("\nWorker  modules        raw       gzip   gzip budget");
  for (const row of rows) {
    console.log(
      `${row.worker.padEnd(6)} ${String(row.modules).padStart(8)} ${kib(row.raw).padStart(10)} ${kib(row.gzip).padStart(10)} ${kib(row.budget).padStart(13)}  ${row.ok ? "ok" : "OVER BUDGET"}`,
    );
  }
} finally {
  rmSync(outRoot, { recursive: true, force: true });
}
if (failed) {
  console.error("\ndeploy:check failed: a Worker is over its gzip budget.");
  process.exit(1);
}
