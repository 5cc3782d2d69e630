import type { MiddlewareHandler } from "hono";
import { setMetric } from "hono/timing";
import { BOOKMARK_HEADER, sessionStart } from "../db/bookmark.ts";
import { D1Client } from "../db/client.ts";
import { shardDatabase } from "../db/shard-database.ts";
import type { AppEnv } from "../env.ts";

/**
 * Opens the request's D1 session, on the caller's shard, at the client's `x-d1-bookmark` (else unconstrained),
 * adds a `d1` `Server-Timing` entry per round trip, and answers with the session's
 * latest bookmark when a query ran.
 */
export function d1Session(): MiddlewareHandler<AppEnv> {
  return async function d1Session(c, next) {
    const db = new D1Client(
      shardDatabase(c.env, c.var.shard),
      sessionStart(c.req.header(BOOKMARK_HEADER)),
      {
        onRoundTrip: ({ ms }) => setMetric(c, "d1", ms),
      },
    );
    c.set("db", db);
    await next();
    const bookmark = db.roundTrips.length > 0 ? db.bookmark() : null;
    if (bookmark) c.header(BOOKMARK_HEADER, bookmark);
  };
}
