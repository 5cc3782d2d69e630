/**
 * `npm run check:contract`: an OpenAPI-driven contract and fuzz check of the running API.
 *
 * Starts the API with `wrangler dev` on 127.0.0.1:8787 over fresh local D1 data, mints a
 * token with `npm run token`, then lets Portman turn docs/openapi.json into a Postman
 * collection (scripts/contract/portman-config.json: every operation's status, content
 * type, JSON body, response schema with no undocumented properties and documented
 * headers; 401 without or with a forged token; 404 for an unknown todo; 400 for bodies
 * and queries fuzzed past their documented limits) and runs it with Newman.
 * `npm run check:contract` holds /tmp/stack.lock (flock) while it runs.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ensureDevVars } from "./lib/ensure-dev-vars.ts";
import { migrateLocalStack } from "./lib/local-migrations.ts";
import { API_URL, localStack } from "./lib/local-stack.ts";
import {
  assertPortFree,
  ROOT,
  run,
  startProcess,
  stopProcess,
  waitForHttp,
} from "./lib/process.ts";

const CONFIG = path.join(ROOT, "scripts/contract/portman-config.json");
const DOCUMENT = path.join(ROOT, "docs/openapi.json");
const bin = (name: string) => path.join(ROOT, "node_modules/.bin", name);

const work = mkdtempSync(path.join(tmpdir(), "todo-contract-"));
const state = path.join(work, "state");
const stack = localStack(state);
const api = stack.servers.find((server) => server.name === "api");
if (!api) throw new Error("the local stack has no API server");

ensureDevVars();
const { hostname, port } = new URL(API_URL);
await assertPortFree(hostname, Number(port));
await migrateLocalStack(state);
const [command, ...args] = api.command as [string, ...string[]];
const server = startProcess(bin(command), args, { env: api.env });
let failed = true;
try {
  await waitForHttp(api.readyUrl, 120_000, server);
  const token = (
    await run("node", ["scripts/token.ts", randomUUID()], { timeoutMs: 30_000 })
  ).trim();
  const portman = await new Promise<number>((resolve, reject) => {
    const child = startProcess(
      bin("portman"),
      [
        "--local",
        DOCUMENT,
        "--baseUrl",
        API_URL,
        "--portmanConfigFile",
        CONFIG,
        "--output",
        path.join(work, "collection.json"),
        "--runNewman",
        "--newmanRunOptions",
        JSON.stringify({ timeoutRequest: 10_000 }),
      ],
      { cwd: work, env: { PORTMAN_BEARER_TOKEN: token } },
    );
    child.stdout?.pipe(process.stdout);
    child.stderr?.pipe(process.stderr);
    child.once("error", reject);
    child.once("exit", (code) => resolve(code ?? 1));
  });
  failed = portman !== 0;
} finally {
  await stopProcess(server);
  rmSync(work, { recursive: true, force: true });
}
if (failed) {
  console.error("\nThe API does not match docs/openapi.json: see the failures above.");
  process.exit(1);
}
console.log("\nThe API answers as docs/openapi.json describes.");
