import type { Hono } from "hono";
import { generateSpecs } from "hono-openapi";
import { errorComponents, HEADERS } from "./responses.ts";
import { bearerScheme } from "./security.ts";

const documentation = {
  info: {
    title: "Todo API",
    version: "1.0.0",
    description:
      "User-scoped todos. Every `/api` operation needs a bearer token; the user id comes from its `sub`, never from a request. A path called with a method it has no operation for answers 405 `method_not_allowed` with `Allow`; an unknown path answers 404 `not_found`. Every response carries `Cache-Control: no-store`.",
    license: { name: "UNLICENSED: a private project, all rights reserved" },
  },
  servers: [
    {
      url: "http://127.0.0.1:8787",
      description:
        "Local development (`npm run dev`). Deployed, the API is reachable only through the site's service binding.",
    },
  ],
  security: [{ bearer: [] }],
  components: {
    securitySchemes: { bearer: bearerScheme },
    headers: HEADERS,
    responses: errorComponents(),
  },
};

type Document = Awaited<ReturnType<typeof generateSpecs>>;
const documents = new WeakMap<Hono<any, any, any>, Promise<Document>>();

/**
 * The OpenAPI 3.1 document of `app`, generated from the descriptions in its route
 * chains once per isolate (on first use), then served from memory.
 */
export function openApiDocument(app: Hono<any, any, any>): Promise<Document> {
  let document = documents.get(app);
  if (!document) {
    document = generateSpecs(app, {
      documentation,
      excludeStaticFile: false,
      defaultValidationErrorResponse: false,
    });
    documents.set(app, document);
    // A failed generation is not cached: the next request tries again.
    document.catch(() => documents.delete(app));
  }
  return document;
}
