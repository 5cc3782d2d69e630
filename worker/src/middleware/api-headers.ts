import type { MiddlewareHandler } from "hono";

/** `Cache-Control: no-store` and `nosniff` on every response, and JSON bodies labelled UTF-8. */
export function apiHeaders(): MiddlewareHandler {
  return async function apiHeaders(c, next) {
    await next();
    c.header("Cache-Control", "no-store");
    c.header("X-Content-Type-Options", "nosniff");
    if (c.res.headers.get("Content-Type") === "application/json") {
      c.header("Content-Type", "application/json; charset=utf-8");
    }
  };
}
