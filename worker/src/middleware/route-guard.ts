import type { Hono, MiddlewareHandler } from "hono";
import { TrieRouter } from "hono/router/trie-router";
import { ApiError, notFound } from "../errors.ts";

type KnownPath = { path: string; methods: string[] };

const isStatic = (path: string) => !/[:*]/.test(path);

/**
 * Answers 404 for unknown paths and 405 (with `Allow`) for known paths with the
 * wrong method, before any authentication runs: routing is public, data is not.
 * A static path wins over a pattern, so `/api/todos/complete-all` is a POST-only
 * path, not a todo id.
 *
 * @param app - the app whose registered routes define what exists
 */
export function routeGuard(app: Hono<any, any, any>): MiddlewareHandler {
  let router: TrieRouter<KnownPath> | undefined;

  return async function routeGuard(c, next) {
    router ??= buildRouter(app);
    const matches = router.match("ALL", c.req.path)[0].map(([known]) => known);
    const staticMatches = matches.filter((known) => isStatic(known.path));
    const allowed = new Set(
      (staticMatches.length > 0 ? staticMatches : matches).flatMap((known) => known.methods),
    );
    if (allowed.size === 0) throw notFound();
    if (!allowed.has(c.req.method)) {
      const allow = [...allowed].join(", ");
      throw new ApiError("method_not_allowed", `Use ${allow} here`, { headers: { Allow: allow } });
    }
    await next();
  };
}

function buildRouter(app: Hono<any, any, any>): TrieRouter<KnownPath> {
  const methodsByPath = new Map<string, Set<string>>();
  for (const route of app.routes) {
    if (route.method === "ALL") continue;
    const methods = methodsByPath.get(route.path) ?? new Set<string>();
    methods.add(route.method);
    if (route.method === "GET") methods.add("HEAD");
    methodsByPath.set(route.path, methods);
  }
  const router = new TrieRouter<KnownPath>();
  for (const [path, methods] of methodsByPath) {
    router.add("ALL", path, { path, methods: [...methods] });
  }
  return router;
}
