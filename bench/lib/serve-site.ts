import { randomBytes } from "node:crypto";
import type { BuiltSite } from "../../scripts/lib/build-site.ts";
import { HOST, PORTS } from "./config.ts";
import { serveWithSeededD1 } from "./serve-with-d1.ts";
import type { ServedWorker } from "./serve-worker.ts";

/**
 * Serves the built site on workerd like the API (its auth D1 fresh, with the real
 * migrations), reaching the API over HTTP at `apiUrl` as in local dev.
 */
export async function serveSite(
  site: BuiltSite,
  apiUrl: string,
  jwtSecret: string,
  inspectorPort?: number,
  port: number = PORTS.site,
): Promise<ServedWorker> {
  const database = site.config.d1Databases[0];
  if (!database) throw new Error("the site's wrangler config binds no D1 database");
  return serveWithSeededD1(
    {
      name: site.config.name,
      bundle: site.bundle,
      compatibilityDate: site.config.compatibilityDate,
      compatibilityFlags: site.config.compatibilityFlags,
      port,
      ...(inspectorPort ? { inspectorPort } : {}),
      assetsDir: site.assetsDir,
      env: {
        API_URL: { type: "text", value: apiUrl },
        BETTER_AUTH_URL: { type: "text", value: `http://${HOST}:${port}` },
        // The bench signs in once; the limit only has to let that through.
        AUTH_RATE_LIMIT_MAX: { type: "text", value: "1000" },
        AUTH_RATE_LIMIT_WINDOW_SECONDS: { type: "text", value: "60" },
        JWT_SECRET: { type: "text", value: jwtSecret },
        BETTER_AUTH_SECRET: { type: "text", value: randomBytes(48).toString("base64url") },
      },
    },
    database,
    [],
  );
}
