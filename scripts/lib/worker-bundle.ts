import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

export const ROOT = path.resolve(import.meta.dirname, "../..");

/** The project's two Workers: where `wrangler deploy` runs for each, and what it needs first. */
export const WORKERS = {
  api: { cwd: ROOT, prepare: [] as string[][] },
  site: { cwd: path.join(ROOT, "site"), prepare: [["npm", "run", "build", "--workspace", "site"]] },
} as const;

export type WorkerName = keyof typeof WORKERS;

/**
 * Builds a Worker exactly as `wrangler deploy` would upload it, without
 * uploading (`--dry-run --outdir`), and returns the directory of its modules.
 */
export function buildWorkerBundle(worker: WorkerName, outdir: string): string {
  const { cwd, prepare } = WORKERS[worker];
  for (const [command, ...args] of prepare) {
    execFileSync(command as string, args, { cwd: ROOT, stdio: "inherit" });
  }
  execFileSync("wrangler", ["deploy", "--dry-run", "--outdir", outdir], { cwd, stdio: "inherit" });
  return outdir;
}

function moduleFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((file) => /\.(m?js|wasm)$/.test(file))
    .sort()
    .map((file) => path.join(dir, file));
}

/** Raw and gzip size of a bundle's modules (source maps and notes excluded), in bytes. */
export function bundleSize(dir: string): { raw: number; gzip: number; modules: number } {
  const files = moduleFiles(dir).filter((file) => statSync(file).isFile());
  const contents = files.map((file) => readFileSync(file));
  return {
    raw: contents.reduce((total, content) => total + content.byteLength, 0),
    gzip: gzipSync(Buffer.concat(contents), { level: 9 }).byteLength,
    modules: files.length,
  };
}

export const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
