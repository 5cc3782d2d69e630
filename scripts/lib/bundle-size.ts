import { readdirSync, readFileSync } from "node:fs";
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

/**
 * The JavaScript the site serves to browsers (every script among its static
 * assets, so at least all that `/todos` loads): raw and gzip, each file
 * compressed on its own as it is sent.
 */
export function browserScriptsSize(assetsDir: string): BundleSize {
  const files = readdirSync(assetsDir, { recursive: true, encoding: "utf8" }).filter((file) =>
    /\.m?js$/.test(file),
  );
  const code = files.map((file) => readFileSync(path.join(assetsDir, file)));
  return {
    name: "browser JS",
    modules: files.length,
    rawBytes: code.reduce((sum, file) => sum + file.byteLength, 0),
    gzipBytes: code.reduce((sum, file) => sum + gzipSync(file).byteLength, 0),
  };
}
