import { mintToken } from "@todo/worker/token";
import type { BuiltSite } from "../../scripts/lib/build-site.ts";
import { Browser } from "./browser.ts";
import type { LoadTarget } from "./load.ts";
import { copyRows, insertTodos, todoRowsFor, USERS } from "./seed.ts";
import { type ServedWorker, serveSite, serveSiteFloor } from "./serve.ts";

/** A measured target and the process whose CPU is charged to it. */
export type PlannedTarget = {
  id: string;
  label: string;
  target: LoadTarget;
  serverPid: number | undefined;
};

type Server = Pick<ServedWorker, "url" | "pid">;

export const NEW_TODO = JSON.stringify({
  title: "Benchmark todo",
  description: "Written by npm run bench",
});
const CREATE = { method: "POST", body: NEW_TODO, expectStatus: 201 } as const;
const JSON_BODY = { "Content-Type": "application/json" };

/** A request to `server` at `path`: a GET answered 200 unless `request` says otherwise. */
export const planned = (
  server: Server,
  id: string,
  label: string,
  path: string,
  request: Partial<LoadTarget> = {},
): PlannedTarget => ({
  id,
  label,
  target: { method: "GET", expectStatus: 200, ...request, url: `${server.url}${path}` },
  serverPid: server.pid,
});

/** Tokens of the seeded reader and writer. */
export const seededTokens = async (jwtSecret: string) => ({
  reader: (await mintToken(USERS.reader, jwtSecret)).token,
  writer: (await mintToken(USERS.writer, jwtSecret)).token,
});

/** The API's list and create, its token check alone (/api/me) and a route without one. */
export function apiTargets(
  api: Server,
  tokens: { reader: string; writer: string },
): PlannedTarget[] {
  const reader = { headers: { Authorization: `Bearer ${tokens.reader}` } };
  const writer = { ...CREATE, headers: { Authorization: `Bearer ${tokens.writer}`, ...JSON_BODY } };
  return [
    planned(api, "api.list", "API: GET /api/todos (50 items, auth)", "/api/todos", reader),
    planned(api, "api.create", "API: POST /api/todos (auth)", "/api/todos", writer),
    planned(api, "api.me", "API: GET /api/me (auth)", "/api/me", reader),
    planned(api, "api.health", "API: GET /health (no auth)", "/health"),
  ];
}

/** The bare D1 Worker's list (its GET) and create (its POST). */
export const d1Targets = (d1: Server): PlannedTarget[] => [
  planned(d1, "d1.list", "bare D1 Worker: the list's batch", "/"),
  planned(d1, "d1.create", "bare D1 Worker: the create's insert", "/", {
    ...CREATE,
    headers: JSON_BODY,
  }),
];

/**
 * Serves the built site against the running API, signs a person up with 50 todos, and
 * returns the site's targets, /todos for them and /sign-in (no data), and the same two on
 * the site floor, which does only the platform's part of each page.
 */
export async function siteTargets(options: {
  site: BuiltSite;
  api: ServedWorker;
  jwtSecret: string;
  inspect?: boolean;
}): Promise<{ site: ServedWorker; targets: PlannedTarget[]; close: () => Promise<void> }> {
  const site = await serveSite(options.site, options.api.url, options.jwtSecret, options.inspect);
  const closers = [site.close];
  const close = async () => {
    for (const closer of [...closers].reverse()) await closer();
  };
  try {
    const { browser, userId } = await Browser.signUp(site.url);
    const rows = todoRowsFor(userId);
    for (const db of options.api.databases.values()) await insertTodos(db, rows);
    const signedIn = { headers: { Cookie: browser.cookie } };
    const floor = await serveSiteFloor(options.site, options.api.url, {
      todos: await browser.viewTodos(),
      signIn: await (await fetch(`${site.url}/sign-in`)).text(),
    });
    closers.push(floor.close);
    const [[from], [to]] = [[...site.databases.values()], [...floor.databases.values()]];
    if (!from || !to) throw new Error("the site or its floor has no D1");
    for (const table of ["user", "session"]) await copyRows(from, to, table);
    const targets = [
      planned(site, "site.todos", "site: GET /todos (signed in, 50 todos)", "/todos", signedIn),
      planned(site, "site.sign-in", "site: GET /sign-in (no data)", "/sign-in"),
      planned(
        floor,
        "site-floor.todos",
        "site floor: /todos (session read, API call)",
        "/todos",
        signedIn,
      ),
      planned(floor, "site-floor.sign-in", "site floor: /sign-in (the page's bytes)", "/sign-in"),
    ];
    return { site, targets, close };
  } catch (error) {
    await close();
    throw error;
  }
}
