import { readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import type { WorkerBundle } from "./build-worker.ts";

export type BundleSize = { name: string; modules: number; rawBytes: number; gzipBytes: number };

/** Raw and gzip size of the modules a Worker uploads (source maps are not code: excluded). */
export function bundleSize(name: string, bundle: WorkerBundle): BundleSize {
  const code = Buffer.concat(
    bundle.modules.map((file) => readFileSync(path.join(bundle.dir, file))),
  );
  return {
    name,
    modules: bundle.modules.length,
    rawBytes: code.byteLength,
    gzipBytes: gzipSync(code).byteLength,
  };
}
