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
  siteDb: D1;
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
    const floorDb = await floor.miniflare.getD1Database(database.binding);
    for (const table of SIGNED_IN_TABLES) {
      const { results } = await options.siteDb
        .prepare(`select * from "${table}"`)
        .all<Record<string, unknown>>();
      const inserts = results.map((row: Record<string, unknown>) => {
        const columns = Object.keys(row);
        return floorDb
          .prepare(
            `insert into "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) values (${columns.map(() => "?").join(", ")})`,
          )
          .bind(...Object.values(row));
      });
      if (inserts.length > 0) await floorDb.batch(inserts);
    }
  } catch (error) {
    await floor.close();
    throw error;
  }
  return floor;
}
