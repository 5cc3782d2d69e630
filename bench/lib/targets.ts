import type { BuiltSite } from "../../scripts/lib/build-site.ts";
import { Browser } from "./browser.ts";
import type { LoadTarget } from "./load.ts";
import { insertTodos, todoRowsFor } from "./seed.ts";
import { type ServedWorker, serveSite, serveSiteFloor } from "./serve.ts";

/** A measured target and the process whose CPU is charged to it. */
export type PlannedTarget = {
  id: string;
  label: string;
  target: LoadTarget;
  serverPid: number | undefined;
};

export const NEW_TODO = JSON.stringify({
  title: "Benchmark todo",
  description: "Written by npm run bench",
});

/** The same four requests against a todo API, as `prefix`-named targets. */
export function apiTargets(
  prefix: string,
  name: string,
  server: { url: string; pid: number | undefined },
  tokens: { reader: string; writer: string },
): PlannedTarget[] {
  const reader = { Authorization: `Bearer ${tokens.reader}` };
  const writer = { Authorization: `Bearer ${tokens.writer}`, "Content-Type": "application/json" };
  const planned = (id: string, label: string, target: Omit<LoadTarget, "url">, path: string) => ({
    id: `${prefix}.${id}`,
    label: `${name}: ${label}`,
    target: { ...target, url: `${server.url}${path}` },
    serverPid: server.pid,
  });
  return [
    planned(
      "list",
      "GET /api/todos (50 items, auth)",
      { method: "GET", headers: reader, expectStatus: 200 },
      "/api/todos",
    ),
    planned(
      "create",
      "POST /api/todos (auth)",
      { method: "POST", headers: writer, body: NEW_TODO, expectStatus: 201 },
      "/api/todos",
    ),
    planned(
      "me",
      "GET /api/me (auth)",
      { method: "GET", headers: reader, expectStatus: 200 },
      "/api/me",
    ),
    planned("health", "GET /health (no auth)", { method: "GET", expectStatus: 200 }, "/health"),
  ];
}

/**
 * Serves the built site against the running API, signs a person up with 50 todos, and
 * returns the site's targets, /todos for them and /sign-in (no data), and the same two on
 * the site floor, which does only the platform's part of each page.
 */
export async function siteTargets(options: {
  site: BuiltSite;
  api: ServedWorker;
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
  const close = async () => {
    for (const closer of [...closers].reverse()) await closer();
  };
  try {
    const { browser, userId } = await Browser.signUp(site.url);
    const rows = todoRowsFor(userId);
    for (const db of await options.api.d1()) await insertTodos(db, rows);
    const signedIn = { Cookie: browser.cookie };
    const floor = await serveSiteFloor({
      site: options.site,
      served: site,
      apiUrl: options.api.url,
      bodies: {
        todos: await browser.viewTodos(),
        signIn: await (await fetch(`${site.url}/sign-in`)).text(),
      },
    });
    closers.push(floor.close);
    const page = (served: ServedWorker, id: string, label: string, path: string, headers = {}) => ({
      id,
      label,
      target: { url: `${served.url}${path}`, method: "GET" as const, headers, expectStatus: 200 },
      serverPid: served.pid,
    });
    const targets = [
      page(site, "site.todos", "site: GET /todos (signed in, 50 todos)", "/todos", signedIn),
      page(site, "site.sign-in", "site: GET /sign-in (no data)", "/sign-in"),
      page(
        floor,
        "site-floor.todos",
        "site floor: /todos (session read, API call)",
        "/todos",
        signedIn,
      ),
      page(floor, "site-floor.sign-in", "site floor: /sign-in (the page's bytes)", "/sign-in"),
    ];
    return { targets, close };
  } catch (error) {
    await close();
    throw error;
  }
}
