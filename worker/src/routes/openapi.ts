import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import type { AppEnv } from "../env.ts";
import { openApiDocument } from "../openapi/document.ts";

/** Serves the OpenAPI document of `app`, the app this route is mounted on. */
export const openapi = (app: Hono<any, any, any>) =>
  new Hono<AppEnv>().get(
    "/",
    describeRoute({
      operationId: "getOpenApiDocument",
      summary: "This OpenAPI document",
      security: [],
      responses: {
        200: {
          description: "The OpenAPI 3.1 document of this API",
          content: { "application/json": { schema: { type: "object" } } },
        },
      },
    }),
    async (c) => c.json(await openApiDocument(app), 200),
  );
