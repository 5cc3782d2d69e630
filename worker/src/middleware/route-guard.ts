import type { Hono, MiddlewareHandler } from "hono";
import { TrieRouter } from "hono/router/trie-router";
import { ApiError, notFound } from "../errors.ts";

/**
 * Answers 404 for unknown paths and 405 (with `Allow`) for known paths with the
 * wrong method, before any authentication runs: routing is public, data is not.
 *
 * @param app - the app whose registered routes define what exists
 */
export function routeGuard(app: Hono<any, any, any>): MiddlewareHandler {
  let router: TrieRouter<string[]> | undefined;

  return async function routeGuard(c, next) {
    router ??= buildRouter(app);
    const allowed = new Set(router.match("ALL", c.req.path)[0].flatMap(([methods]) => methods));
    if (allowed.size === 0) throw notFound();
    if (!allowed.has(c.req.method)) {
      throw new ApiError("method_not_allowed", `Use ${[...allowed].join(", ")} here`, {
        headers: { Allow: [...allowed].join(", ") },
      });
    }
    await next();
  };
}

function buildRouter(app: Hono<any, any, any>): TrieRouter<string[]> {
  const methodsByPath = new Map<string, Set<string>>();
  for (const route of app.routes) {
    if (route.method === "ALL") continue;
    const methods = methodsByPath.get(route.path) ?? new Set<string>();
    methods.add(route.method);
    if (route.method === "GET") methods.add("HEAD");
    methodsByPath.set(route.path, methods);
  }
  const router = new TrieRouter<string[]>();
  for (const [path, methods] of methodsByPath) router.add("ALL", path, [...methods]);
  return router;
}
