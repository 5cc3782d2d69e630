/**
 * `npm run openapi`: writes the API's OpenAPI document to `docs/openapi.json`, taken from
 * the production bundle (`wrangler deploy --dry-run`) answering `GET /openapi.json`, so the
 * file is exactly what the deployed API serves.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { buildWorker } from "./lib/build-worker.ts";
import { ROOT } from "./lib/process.ts";
import { readWorkerConfig } from "./lib/worker-config.ts";

export const OPENAPI_FILE = path.join(ROOT, "docs/openapi.json");

const work = mkdtempSync(path.join(tmpdir(), "todo-openapi-"));
try {
  const bundle = await buildWorker("wrangler.toml", readWorkerConfig("wrangler.toml").main, work);
  const worker = await import(pathToFileURL(path.join(bundle.dir, bundle.mainModule)).href);
  const response: Response = await worker.default.fetch(
    new Request("http://localhost/openapi.json"),
    {},
  );
  if (response.status !== 200) throw new Error(`GET /openapi.json answered ${response.status}`);
  writeFileSync(OPENAPI_FILE, `${JSON.stringify(await response.json(), null, 2)}\n`);
  console.log(`Wrote ${path.relative(ROOT, OPENAPI_FILE)}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
