/**
 * `npm run bench:serve`: the API's production bundle on workerd at http://127.0.0.1:8788,
 * with a fresh D1 (real migrations, seeded users), until Ctrl-C — for any load generator.
 * Tokens are signed with .dev.vars' JWT_SECRET (created as `npm run dev` creates it), so
 * `npm run token` works against it too.
 */
import { mintToken } from "@todo/worker/token";
import { readDevVars } from "../scripts/lib/dev-vars.ts";
import { API_DEV_VARS, ensureDevVars } from "../scripts/lib/ensure-dev-vars.ts";
import { benchRun, buildApi } from "./lib/harness.ts";
import { USERS } from "./lib/seed.ts";
import { serveApi } from "./lib/serve.ts";

await benchRun("bench:serve", async (run) => {
  ensureDevVars();
  const jwtSecret = readDevVars(API_DEV_VARS).JWT_SECRET ?? "";
  const api = run.keep(await serveApi({ ...(await buildApi(run.work)), jwtSecret, port: 8788 }));
  const { token } = await mintToken(USERS.reader, jwtSecret);
  console.log(`\nAPI: ${api.url}, ${USERS.reader} seeded with 50 todos. Ctrl-C stops it.\n`);
  console.log(`curl -s ${api.url}/api/todos -H "Authorization: Bearer ${token}"`);
  await new Promise((stop) => {
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
});
