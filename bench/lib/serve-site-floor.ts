import type { Miniflare } from "miniflare";
import type { BuiltSite } from "../../scripts/lib/build-site.ts";
import { bundleAt } from "../../scripts/lib/build-worker.ts";
import { PORTS } from "./config.ts";
import { serveWithSeededD1 } from "./serve-with-d1.ts";
import type { ServedWorker } from "./serve-worker.ts";

type D1 = Awaited<ReturnType<Miniflare["getD1Database"]>>;

/** The auth tables a signed-in page reads: the person and their session. */
const SIGNED_IN_TABLES = ["user", "session"] as const;

/**
 * Serves the site's floor (bench/baseline/site-floor) as the site is served: the site's
 * static assets in front of it, a fresh auth D1 holding a copy of `siteDb`'s people and
 * sessions, the same API behind it; it answers with the site's own page bodies.
 */
export async function serveSiteFloor(options: {
  site: BuiltSite;
  /** The site as served, signed-up person included: their rows are copied from its D1. */
  served: ServedWorker;
  apiUrl: string;
  bodies: { todos: string; signIn: string };
}): Promise<ServedWorker> {
  const database = options.site.config.d1Databases[0];
  if (!database) throw new Error("the site's wrangler config binds no D1 database");
  const floor = await serveWithSeededD1(
    {
      name: "site-floor",
      bundle: bundleAt(new URL("../baseline/site-floor/", import.meta.url).pathname, "worker.js"),
      compatibilityDate: options.site.config.compatibilityDate,
      compatibilityFlags: options.site.config.compatibilityFlags,
      port: PORTS.siteFloor,
      assetsDir: options.site.assetsDir,
      env: {
        API_URL: { type: "text", value: options.apiUrl },
        TODOS_BODY: { type: "text", value: options.bodies.todos },
        SIGN_IN_BODY: { type: "text", value: options.bodies.signIn },
      },
    },
    database,
    [],
  );
  try {
    const [siteDb, floorDb] = await Promise.all(
      [options.served, floor].map((served) => served.miniflare.getD1Database(database.binding)),
    );
    for (const table of SIGNED_IN_TABLES) {
      await copyRows(siteDb, floorDb, table);
    }
  } catch (error) {
    await floor.close();
    throw error;
  }
  return floor;
}

/** Every row of `table` in `from`, inserted into the same table in `to`. */
async function copyRows(from: D1, to: D1, table: string): Promise<void> {
  const { results } = await from.prepare(`select * from "${table}"`).all<Record<string, unknown>>();
  const [first] = results;
  if (first === undefined) return;
  const columns = Object.keys(first);
  const insert = `insert into "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) values (${columns.map(() => "?").join(", ")})`;
  await to.batch(
    results.map((row: Record<string, unknown>) =>
      to.prepare(insert).bind(...columns.map((column) => row[column])),
    ),
  );
}
