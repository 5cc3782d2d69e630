/**
 * `npm run bench:serve`: the API's production bundle on workerd at http://127.0.0.1:8788,
 * with a fresh D1 (real migrations, seeded users), until Ctrl-C — for any load generator.
 * Tokens are signed with JWT_SECRET from the environment or .dev.vars, so `npm run token`
 * works against it too; .dev.vars is created the way `npm run dev` creates it when missing.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { mintToken } from "@todo/worker/token";
import { readDevVars } from "../scripts/lib/dev-vars.ts";
import { API_DEV_VARS, ensureDevVars } from "../scripts/lib/ensure-dev-vars.ts";
import { ROOT } from "../scripts/lib/process.ts";
import { buildApi } from "./lib/harness.ts";
import { TODOS_PER_USER, USERS } from "./lib/seed.ts";
import { serveApi } from "./lib/serve.ts";

/** The one fixed port of a bench server: every other one gets a free port. */
const PORT = 8788;

process.chdir(ROOT);
for (const created of ensureDevVars()) console.log(`Created ${created} with fresh secrets.`);
const jwtSecret = process.env.JWT_SECRET ?? readDevVars(API_DEV_VARS).JWT_SECRET;
if (!jwtSecret) throw new Error(`${API_DEV_VARS} has no JWT_SECRET`);

const outdir = mkdtempSync(path.join(tmpdir(), "todo-bench-build-"));
console.log("Building the API's production bundle (wrangler deploy --dry-run)…");
const api = await serveApi({ ...(await buildApi(outdir)), jwtSecret, port: PORT });
const { token, expiresAt } = await mintToken(USERS.reader, jwtSecret);

console.log(`
API (production bundle on workerd): ${api.url}
Seeded: ${USERS.reader} and ${USERS.writer}, ${TODOS_PER_USER} todos each.
Token for ${USERS.reader}, valid until ${new Date(expiresAt * 1000).toISOString()}
(a new one: npm run --silent token -- ${USERS.reader}):

TOKEN=${token}
curl -s ${api.url}/api/todos -H "Authorization: Bearer $TOKEN"

Ctrl-C stops it.`);

async function stop(): Promise<void> {
  await api.close();
  rmSync(outdir, { recursive: true, force: true });
  process.exit(0);
}
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
