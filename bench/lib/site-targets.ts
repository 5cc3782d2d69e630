import type { BuiltSite } from "../../scripts/lib/build-site.ts";
import type { WorkerConfig } from "../../scripts/lib/worker-config.ts";
import type { PlannedTarget } from "./plan.ts";
import { insertTodos, todoRowsFor } from "./seed.ts";
import { apiDatabase } from "./serve-api.ts";
import { serveSite } from "./serve-site.ts";
import type { ServedWorker } from "./serve-worker.ts";
import { signUpOnSite } from "./site-session.ts";

/**
 * Serves the built site against the running API, signs a person up, gives them their
 * todos in the API's D1, and returns the two site targets: /todos server-rendered for
 * them, and /sign-in, a page of the same site that needs no data (its baseline).
 */
export async function siteTargets(options: {
  site: BuiltSite;
  api: ServedWorker;
  apiConfig: WorkerConfig;
  jwtSecret: string;
}): Promise<{ targets: PlannedTarget[]; close: () => Promise<void> }> {
  const site = await serveSite(options.site, options.api.url, options.jwtSecret);
  try {
    const { cookie, userId } = await signUpOnSite(site.url);
    const db = await options.api.miniflare.getD1Database(apiDatabase(options.apiConfig).binding);
    await insertTodos(db, todoRowsFor(userId));
    const page = (
      id: string,
      label: string,
      pathname: string,
      headers?: Record<string, string>,
    ) => ({
      id,
      group: "site" as const,
      label,
      target: {
        url: `${site.url}${pathname}`,
        method: "GET" as const,
        expectStatus: 200,
        ...(headers ? { headers } : {}),
      },
      baselineId: "site.sign-in",
      serverPid: site.pid,
    });
    return {
      targets: [
        page("site.todos", "GET /todos (signed in, 50 todos from the API)", "/todos", {
          Cookie: cookie,
        }),
        page("site.sign-in", "GET /sign-in (signed out, no data)", "/sign-in"),
      ],
      close: site.close,
    };
  } catch (error) {
    await site.close();
    throw error;
  }
}
