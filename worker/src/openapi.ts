import * as z from "zod/mini";
import { ErrorBody } from "./errors.ts";
import { Health, Me } from "./schemas/api.ts";
import {
  ClearQuery,
  CompleteAll,
  DeletedCount,
  ListQuery,
  Todo,
  TodoCreate,
  TodoPage,
  TodoUpdate,
  UpdatedCount,
} from "./schemas/todo.ts";

/**
 * The OpenAPI 3.1 description of the API, built from the same zod schemas the
 * routes validate with: no schema is written twice.
 */

const bodySchemas = { TodoCreate, TodoUpdate, CompleteAll };
const responseSchemas = { Todo, TodoPage, UpdatedCount, DeletedCount, Health, Me, ErrorBody };
type SchemaName = keyof typeof bodySchemas | keyof typeof responseSchemas;

const ref = (name: SchemaName) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: SchemaName) => ({ content: { "application/json": { schema: ref(name) } } });

const error = (description: string) => ({ description, ...json("ErrorBody") });
const ERRORS = {
  "400": error("invalid_json or validation_error (fields names each bad field)"),
  "401": error("unauthorized: a missing or invalid token"),
  "404": error("not_found: unknown route or id, or a todo owned by someone else"),
  "413": error("payload_too_large: body over 16 KiB"),
  "415": error("unsupported_media_type: body not sent as application/json"),
};

type Operation = {
  summary: string;
  body?: keyof typeof bodySchemas;
  query?: z.ZodMiniObject;
  responses: Record<string, unknown>;
  public?: boolean;
};

function queryParameters(schema: z.ZodMiniObject) {
  const jsonSchema = z.toJSONSchema(schema, { io: "input" });
  const required = new Set(jsonSchema.required ?? []);
  return Object.entries(jsonSchema.properties ?? {}).map(([name, property]) => ({
    name,
    in: "query",
    required: required.has(name),
    schema: property,
  }));
}

function operation({ summary, body, query, responses, public: isPublic }: Operation) {
  return {
    summary,
    ...(isPublic ? { security: [] } : {}),
    ...(query ? { parameters: queryParameters(query) } : {}),
    ...(body ? { requestBody: { required: true, ...json(body) } } : {}),
    responses,
  };
}

const idParameter = { name: "id", in: "path", required: true, schema: { type: "string" } };

export function buildOpenApiDocument() {
  const components = Object.fromEntries([
    ...Object.entries(bodySchemas).map(([name, schema]) => [
      name,
      z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }),
    ]),
    ...Object.entries(responseSchemas).map(([name, schema]) => [
      name,
      z.toJSONSchema(schema, { io: "output" }),
    ]),
  ]);

  return {
    openapi: "3.1.0",
    info: {
      title: "Todo API",
      version: "1.0.0",
      description:
        "User-scoped todos. Every /api route needs `Authorization: Bearer <jwt>` (HS256, 30 minutes, minted by the site).",
    },
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
      schemas: components,
    },
    paths: {
      "/health": {
        get: operation({
          summary: "Liveness; 503 when the API cannot verify tokens",
          public: true,
          responses: { "200": json("Health"), "503": json("Health") },
        }),
      },
      "/openapi.json": {
        get: operation({
          summary: "This description",
          public: true,
          responses: { "200": { description: "OpenAPI 3.1 document" } },
        }),
      },
      "/api/me": {
        get: operation({
          summary: "The caller's user id (the token's sub)",
          responses: { "200": json("Me"), "401": ERRORS["401"] },
        }),
        delete: operation({
          summary: "Erase the caller's todos, for account deletion (and any an older token makes)",
          responses: { "204": { description: "Erased" }, "401": ERRORS["401"] },
        }),
      },
      "/api/todos": {
        get: operation({
          summary: "List the caller's todos, newest first",
          query: ListQuery,
          responses: { "200": json("TodoPage"), "400": ERRORS["400"], "401": ERRORS["401"] },
        }),
        post: operation({
          summary: "Create a todo",
          body: "TodoCreate",
          responses: {
            "201": {
              description: "Created",
              headers: { Location: { schema: { type: "string" } } },
              ...json("Todo"),
            },
            "400": ERRORS["400"],
            "401": ERRORS["401"],
            "413": ERRORS["413"],
            "415": ERRORS["415"],
          },
        }),
        delete: operation({
          summary: 'Delete the caller\'s completed todos ("clear completed"), or all of them',
          query: ClearQuery,
          responses: { "200": json("DeletedCount"), "400": ERRORS["400"], "401": ERRORS["401"] },
        }),
      },
      "/api/todos/complete-all": {
        post: operation({
          summary: 'Mark all of the caller\'s todos completed or not ("toggle all")',
          body: "CompleteAll",
          responses: {
            "200": json("UpdatedCount"),
            "400": ERRORS["400"],
            "401": ERRORS["401"],
            "415": ERRORS["415"],
          },
        }),
      },
      "/api/todos/{id}": {
        parameters: [idParameter],
        get: operation({
          summary: "One of the caller's todos",
          responses: { "200": json("Todo"), "401": ERRORS["401"], "404": ERRORS["404"] },
        }),
        patch: operation({
          summary: "Change a todo's title, description or completed flag",
          body: "TodoUpdate",
          responses: {
            "200": json("Todo"),
            "400": ERRORS["400"],
            "401": ERRORS["401"],
            "404": ERRORS["404"],
            "415": ERRORS["415"],
          },
        }),
        delete: operation({
          summary: "Delete a todo",
          responses: {
            "204": { description: "Deleted" },
            "401": ERRORS["401"],
            "404": ERRORS["404"],
          },
        }),
      },
    },
  };
}
