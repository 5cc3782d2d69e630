import { Hono } from "hono";
import type { AppEnv } from "../env.ts";
import { buildOpenApiDocument } from "../openapi.ts";

let document: ReturnType<typeof buildOpenApiDocument> | undefined;

export const openapi = new Hono<AppEnv>().get("/", (c) => {
  document ??= buildOpenApiDocument();
  return c.json(document, 200);
});
