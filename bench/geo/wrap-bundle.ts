import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { stripTypeScriptTypes } from "node:module";
import path from "node:path";
import type { WorkerBundle } from "../../scripts/lib/build-worker.ts";

const SOURCE_DIR = new URL("./worker/", import.meta.url).pathname;
const SIM_DIR = "__geo";
const SIM_MODULES = ["model", "delayed-d1", "sim-entry"];
const ENTRY = "__geo-entry.js";

/** The workerd-side TypeScript as plain JavaScript, its relative imports renamed to match. */
function compile(name: string): string {
  const source = readFileSync(path.join(SOURCE_DIR, `${name}.ts`), "utf8");
  return stripTypeScriptTypes(source, { mode: "strip" }).replace(
    /(from\s+"\.\/[\w-]+)\.ts"/g,
    '$1.js"',
  );
}

/**
 * The bundle behind a bench-only entry module: it imports the real entry's default export
 * and serves it with every D1 binding delayed (see worker/sim-entry.ts). The real modules
 * stay as built; the wrapper's modules are added beside them in the bundle's directory.
 */
export function withSimulatedD1(bundle: WorkerBundle): WorkerBundle {
  mkdirSync(path.join(bundle.dir, SIM_DIR), { recursive: true });
  const added = SIM_MODULES.map((name) => {
    const file = `${SIM_DIR}/${name}.js`;
    writeFileSync(path.join(bundle.dir, file), compile(name));
    return file;
  });
  const real = JSON.stringify(`./${bundle.mainModule}`);
  writeFileSync(
    path.join(bundle.dir, ENTRY),
    [
      `import { withEnv } from "cloudflare:workers";`,
      `import worker from ${real};`,
      `import { simulateD1 } from "./${SIM_DIR}/sim-entry.js";`,
      `export * from ${real};`,
      `export default simulateD1(worker, withEnv);`,
      "",
    ].join("\n"),
  );
  return { dir: bundle.dir, mainModule: ENTRY, modules: [...bundle.modules, ...added, ENTRY] };
}
