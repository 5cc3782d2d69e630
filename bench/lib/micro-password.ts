import { scrypt } from "node:crypto";
import { Log, LogLevel, Miniflare } from "miniflare";
import type { WorkerConfig } from "../../scripts/lib/worker-config.ts";
import {
  CURRENT_PARAMS,
  MAX_MEMORY_BYTES,
  type ScryptParams,
  scryptMemoryBytes,
} from "../../site/src/server/auth/scrypt-hash.server.ts";
import { childPids, ownCpuMs, processCpuMs } from "./cpu.ts";

/** One scrypt setting as `node:crypto` takes it. */
type Setting = { name: string; N: number; r: number; p: number; keyBytes: number; maxmem: number };

export type PasswordResult = {
  name: string;
  memoryMiB: number;
  /** N·r·p against OWASP's N=2^17 r=8 p=1. */
  workVsOwasp: number;
  nodeCpuMsPerHash: number;
  workerdCpuMsPerHash: number;
};

const setting = (name: string, params: ScryptParams, maxmem: number): Setting => ({
  name,
  N: 2 ** params.ln,
  r: params.r,
  p: params.p,
  keyBytes: 32,
  maxmem,
});

const MiB = 1024 * 1024;
const SETTINGS: Setting[] = [
  // Better Auth's own hash (its salt:key format), with the maxmem it passes.
  {
    name: "old: Better Auth's default, N=2^14 r=16 p=1",
    N: 2 ** 14,
    r: 16,
    p: 1,
    keyBytes: 64,
    maxmem: 64 * MiB,
  },
  setting("new: N=2^14 r=8 p=5 (the site's setting)", CURRENT_PARAMS, MAX_MEMORY_BYTES),
  // Needs a few KiB over 32 MiB, so the site cannot use it; measured for the comparison.
  setting("the other OWASP option, N=2^15 r=8 p=3", { ln: 15, r: 8, p: 3 }, 33 * MiB),
];
const HASHES = 8;
const PASSWORD = "correct horse battery staple";
const SALT = "0123456789abcdef";

const hashOnce = (s: Setting) =>
  new Promise<Buffer>((resolve, reject) =>
    scrypt(PASSWORD, SALT, s.keyBytes, { N: s.N, r: s.r, p: s.p, maxmem: s.maxmem }, (e, key) =>
      e ? reject(e) : resolve(key),
    ),
  );

async function nodeCpuMs(s: Setting): Promise<number> {
  await hashOnce(s);
  const before = ownCpuMs();
  for (let i = 0; i < HASHES; i++) await hashOnce(s);
  return (ownCpuMs() - before) / HASHES;
}

/** A Worker that runs `n` hashes of the setting in the query string, one after another. */
const WORKER = `
import { scrypt } from "node:crypto";
const hash = (s) => new Promise((resolve, reject) =>
  scrypt(${JSON.stringify(PASSWORD)}, ${JSON.stringify(SALT)}, s.keyBytes, s, (e, key) => e ? reject(e) : resolve(key)));
export default {
  async fetch(request) {
    const s = JSON.parse(new URL(request.url).searchParams.get("setting"));
    for (let i = 0; i < s.n; i++) await hash(s);
    return new Response("ok");
  },
};`;

async function workerdCpuMs(miniflare: Miniflare, pid: number | undefined, s: Setting) {
  const hashes = async (n: number) => {
    const url = `http://bench/?setting=${encodeURIComponent(JSON.stringify({ ...s, n }))}`;
    const response = await miniflare.dispatchFetch(url);
    if (!response.ok) throw new Error(`${s.name} in workerd: ${await response.text()}`);
    await response.text();
  };
  await hashes(1);
  const before = processCpuMs(pid);
  await hashes(HASHES);
  return (processCpuMs(pid) - before) / HASHES;
}

/**
 * CPU per password hash (a sign-up; a sign-in verifies with one hash of the same cost)
 * for Better Auth's default setting and the site's, in Node and in workerd (the
 * workerd process's CPU, read from /proc), on the site Worker's compatibility settings.
 */
export async function microPassword(site: WorkerConfig): Promise<PasswordResult[]> {
  const before = new Set(childPids("workerd"));
  const miniflare = new Miniflare({
    cf: false,
    log: new Log(LogLevel.WARN),
    workers: [
      {
        config: {
          name: "password-bench",
          compatibilityDate: site.compatibilityDate,
          compatibilityFlags: site.compatibilityFlags,
          manifest: {
            mainModule: "worker.js",
            modules: { "worker.js": { type: "esm", contents: WORKER } },
          },
        },
      },
    ],
  });
  try {
    await miniflare.ready;
    const pid = childPids("workerd").find((candidate) => !before.has(candidate));
    const results: PasswordResult[] = [];
    for (const s of SETTINGS) {
      results.push({
        name: s.name,
        memoryMiB: scryptMemoryBytes({ ln: Math.log2(s.N), r: s.r, p: s.p }) / MiB,
        workVsOwasp: (s.N * s.r * s.p) / 2 ** 20,
        nodeCpuMsPerHash: await nodeCpuMs(s),
        workerdCpuMsPerHash: await workerdCpuMs(miniflare, pid, s),
      });
    }
    return results;
  } finally {
    await miniflare.dispose();
  }
}
