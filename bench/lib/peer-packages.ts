import { run } from "../../scripts/lib/process.ts";
import { TIMEOUTS } from "./config.ts";

/** Debian's own Python: the packages below install into it, not into any other python3 on PATH. */
export const PYTHON = "/usr/bin/python3";

/**
 * The peer's stack from Debian. uvloop and httptools are what `uvicorn[standard]` runs on in
 * production, so the peer gets them too: the comparison is against FastAPI at its fastest.
 */
const PACKAGES = [
  "python3-fastapi",
  "python3-jwt",
  "uvicorn",
  "python3-uvloop",
  "python3-httptools",
];

const VERSIONS = `
import json, sys, fastapi, httptools, jwt, uvicorn, uvloop
print(json.dumps({"python": sys.version.split()[0], "fastapi": fastapi.__version__,
  "pyjwt": jwt.__version__, "uvicorn": uvicorn.__version__, "uvloop": uvloop.__version__,
  "httptools": httptools.__version__}))`;

export type PeerPackages =
  | { ok: true; versions: Record<string, string> }
  | { ok: false; reason: string };

async function installedVersions(): Promise<Record<string, string> | undefined> {
  try {
    return JSON.parse(await run(PYTHON, ["-c", VERSIONS], { timeoutMs: 30_000 }));
  } catch {
    return undefined;
  }
}

/**
 * Makes sure the FastAPI peer can run, installing its Debian packages with apt-get when
 * they are missing. Never throws: when that is impossible the bench runs without the peer.
 */
export async function ensurePeerPackages(): Promise<PeerPackages> {
  const present = await installedVersions();
  if (present) return { ok: true, versions: present };
  const installArgs = ["install", "-y", "--no-install-recommends", ...PACKAGES];
  if (process.getuid?.() !== 0) {
    const command = `apt-get ${installArgs.join(" ")}`;
    return { ok: false, reason: `its Debian packages are missing; as root: ${command}` };
  }
  console.log(`The FastAPI peer needs Debian packages: ${PACKAGES.join(", ")}. Installing…`);
  const env = { DEBIAN_FRONTEND: "noninteractive" };
  try {
    await run("apt-get", ["update"], { timeoutMs: TIMEOUTS.aptMs, env });
    await run("apt-get", installArgs, { timeoutMs: TIMEOUTS.aptMs, env });
  } catch (error) {
    return { ok: false, reason: `apt-get failed (${(error as Error).message.split("\n")[0]})` };
  }
  const installed = await installedVersions();
  return installed
    ? { ok: true, versions: installed }
    : { ok: false, reason: `${PACKAGES.join(", ")} installed, but Python cannot import them` };
}
