import { describe, expect, it } from "vitest";
import * as z from "zod";
import committed from "../../docs/openapi.json?raw";
import { app } from "../src/index.ts";
import { openApiDocument } from "../src/openapi/document.ts";
import { call, newUser } from "./helpers.ts";

type Document = {
  paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
  components: { schemas: Record<string, Parameters<typeof z.fromJSONSchema>[0]> };
};

async function fetchDocument(): Promise<Document> {
  const response = await call("/openapi.json");
  expect(response.status).toBe(200);
  return response.json();
}

type JsonSchema = Exclude<Parameters<typeof z.fromJSONSchema>[0], boolean>;

/** A named schema of the document as zod, its references to other components resolved. */
function componentSchema(document: Document, name: string) {
  const defs: Record<string, JsonSchema> = JSON.parse(
    JSON.stringify(document.components.schemas).replaceAll("#/components/schemas/", "#/$defs/"),
  );
  const schema = defs[name];
  if (!schema || typeof schema !== "object") throw new Error(`no schema ${name}`);
  return z.fromJSONSchema({ ...schema, $defs: defs });
}

describe("GET /openapi.json", () => {
  it("is the document committed as docs/openapi.json (npm run openapi writes it)", async () => {
    const response = await call("/openapi.json");
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(`${JSON.stringify(await response.json(), null, 2)}\n`).toBe(committed);
  });

  it("is generated once per isolate, not per request", () => {
    expect(openApiDocument(app)).toBe(openApiDocument(app));
  });

  it("describes every route the app serves, and nothing else", async () => {
    const document = await fetchDocument();
    // A route with middleware in its chain is listed once per handler: count it once.
    const served = [
      ...new Set(
        app.routes
          .filter((route) => route.method !== "ALL")
          .map((route) => `${route.method} ${route.path.replace(/:(\w+)/g, "{$1}")}`),
      ),
    ].sort();
    const described = Object.entries(document.paths)
      .flatMap(([path, item]) =>
        Object.keys(item)
          .filter((key) => key !== "parameters")
          .map((method) => `${method.toUpperCase()} ${path}`),
      )
      .sort();
    expect(described).toEqual(served);
  });

  it("matches what the API really answers", async () => {
    const document = await fetchDocument();
    const schema = (name: string) => componentSchema(document, name);
    const user = await newUser();
    const todo = await user.create("described", { description: "as documented" });
    await user.create("done", { completed: true });

    const answers: Array<[string, Response]> = [
      ["Todo", await user.call(`/api/todos/${todo.id}`)],
      ["TodoPage", await user.call("/api/todos")],
      ["Me", await user.call("/api/me")],
      ["Health", await call("/health")],
      [
        "UpdatedCount",
        await user.call("/api/todos/complete-all", { method: "POST", json: { completed: true } }),
      ],
      ["DeletedCount", await user.call("/api/todos?status=completed", { method: "DELETE" })],
      ["ErrorBody", await user.call("/api/todos", { method: "POST", json: { userId: "x" } })],
      ["ErrorBody", await call("/api/me")],
    ];
    for (const [name, response] of answers) {
      const body = await response.json();
      const result = schema(name).safeParse(body);
      expect(result.success, `${name}: ${JSON.stringify(body)}`).toBe(true);
    }
  });

  it("documents request schemas that refuse what the API refuses", async () => {
    const document = await fetchDocument();
    const create = componentSchema(document, "TodoCreate");
    expect(create.safeParse({ title: "ok" }).success).toBe(true);
    expect(create.safeParse({ title: "ok", userId: "someone" }).success).toBe(false);
    expect(create.safeParse({ title: "t".repeat(201) }).success).toBe(false);
  });

  it("documents limit as the integers the API accepts", async () => {
    const document = await fetchDocument();
    const parameters = (document.paths["/api/todos"]?.get as { parameters?: unknown[] })
      ?.parameters as Array<{ name: string; schema: JsonSchema }>;
    const limit = z.fromJSONSchema(parameters.find(({ name }) => name === "limit")?.schema ?? {});
    const user = await newUser();
    for (const value of [1, 10, 100, 0, 101, 2.5, -5]) {
      const response = await user.call(`/api/todos?limit=${value}`);
      expect(response.status === 200, `limit=${value}`).toBe(limit.safeParse(value).success);
    }
  });
});
