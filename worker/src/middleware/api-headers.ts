import type { MiddlewareHandler } from "hono";

/** `Cache-Control: no-store` on every response, and JSON bodies labelled UTF-8. */
export function apiHeaders(): MiddlewareHandler {
  return async function apiHeaders(c, next) {
    await next();
    c.header("Cache-Control", "no-store");
    if (c.res.headers.get("Content-Type") === "application/json") {
      c.header("Content-Type", "application/json; charset=utf-8");
    }
  };
}
