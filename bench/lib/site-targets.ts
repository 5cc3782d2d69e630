import type { BuiltSite } from "../../scripts/lib/build-site.ts";
import type { WorkerConfig } from "../../scripts/lib/worker-config.ts";
import type { PlannedTarget } from "./plan.ts";
import { insertTodos, todoRowsFor } from "./seed.ts";
import { apiDatabase } from "./serve-api.ts";
import { serveSite } from "./serve-site.ts";
import { serveSiteFloor } from "./serve-site-floor.ts";
import type { ServedWorker } from "./serve-worker.ts";
import { signUpOnSite } from "./site-session.ts";

/**
 * Serves the built site against the running API, signs a person up, gives them their
 * todos in the API's D1, and returns the site targets: /todos server-rendered for them,
 * /sign-in, a page of the same site that needs no data (its baseline), and the same two
 * on the site floor (serve-site-floor.ts), which does only the platform's part of each.
 */
export async function siteTargets(options: {
  site: BuiltSite;
  api: ServedWorker;
  apiConfig: WorkerConfig;
  jwtSecret: string;
  inspectorPort?: number;
}): Promise<{ targets: PlannedTarget[]; close: () => Promise<void> }> {
  const site = await serveSite(
    options.site,
    options.api.url,
    options.jwtSecret,
    options.inspectorPort,
  );
  const closers = [site.close];
  const closeAll = async () => {
    for (const close of [...closers].reverse()) await close();
  };
  try {
    const { cookie, userId } = await signUpOnSite(site.url);
    const db = await options.api.miniflare.getD1Database(apiDatabase(options.apiConfig).binding);
    await insertTodos(db, todoRowsFor(userId));
    const signedIn = { Cookie: cookie };
    const body = async (pathname: string, headers?: Record<string, string>) =>
      (await fetch(`${site.url}${pathname}`, { headers: headers ?? {} })).text();
    const floor = await serveSiteFloor({
      site: options.site,
      served: site,
      apiUrl: options.api.url,
      bodies: { todos: await body("/todos", signedIn), signIn: await body("/sign-in") },
    });
    closers.push(floor.close);
    const page = (
      served: ServedWorker,
      id: string,
      label: string,
      pathname: string,
      headers?: Record<string, string>,
    ): PlannedTarget => ({
      id,
      group: served === site ? "site" : "bare Worker",
      label,
      target: {
        url: `${served.url}${pathname}`,
        method: "GET" as const,
        expectStatus: 200,
        ...(headers ? { headers } : {}),
      },
      baselineId: "site.sign-in",
      serverPid: served.pid,
    });
    return {
      targets: [
        page(
          site,
          "site.todos",
          "GET /todos (signed in, 50 todos from the API)",
          "/todos",
          signedIn,
        ),
        page(site, "site.sign-in", "GET /sign-in (signed out, no data)", "/sign-in"),
        page(
          floor,
          "site-floor.todos",
          "site floor: GET /todos (the session read and the API call, then the page's bytes)",
          "/todos",
          signedIn,
        ),
        page(
          floor,
          "site-floor.sign-in",
          "site floor: GET /sign-in (the page's bytes)",
          "/sign-in",
        ),
      ],
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
