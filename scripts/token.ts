/**
 * Prints a valid 30-minute API token for local use with curl:
 *   npm run token -- <userId>
 * Signed with JWT_SECRET from the environment or the root .dev.vars.
 */
import { mintToken } from "@todo/worker/token";
import { readDevVars } from "./lib/dev-vars.ts";

const userId = process.argv[2];
if (!userId) {
  console.error("usage: npm run token -- <userId>");
  process.exit(2);
}
const secret = process.env.JWT_SECRET ?? readDevVars(".dev.vars").JWT_SECRET;
if (!secret) {
  console.error("No JWT_SECRET: run `npm run dev` once to create .dev.vars, or set JWT_SECRET.");
  process.exit(2);
}
try {
  console.log((await mintToken(userId, secret)).token);
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
