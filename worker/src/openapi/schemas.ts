import type { ResolverReturnType } from "hono-openapi";
import * as z from "zod/mini";
import { ErrorBody } from "../errors.ts";
import { Health, Me } from "../schemas/api.ts";
import {
  CompleteAll,
  DeletedCount,
  Todo,
  TodoCreate,
  TodoPage,
  TodoUpdate,
  UpdatedCount,
} from "../schemas/todo.ts";

/**
 * The schemas the document lists once under `components.schemas`, by name; every
 * operation refers to them. Query schemas stay inline: they become parameters.
 */
const NAMED: Record<string, z.core.$ZodType> = {
  TodoCreate,
  TodoUpdate,
  CompleteAll,
  Todo,
  TodoPage,
  UpdatedCount,
  DeletedCount,
  Health,
  Me,
  ErrorBody,
};
for (const [id, schema] of Object.entries(NAMED)) {
  if (!z.globalRegistry.has(schema)) z.globalRegistry.add(schema, { id });
}

/**
 * A zod schema as hono-openapi reads it (the shape of its `resolver`), converted with
 * zod's own `toJSONSchema`. hono-openapi's `resolver` would do the same through
 * `@standard-community/standard-json`, whose dynamic `import("zod/v4/core")` bundles all of
 * zod core and its locales (75 KiB gzip more); `zod/mini`'s converter is already bundled.
 */
function openApiSchema(schema: z.core.$ZodType, io: "input" | "output"): ResolverReturnType {
  const toJSONSchema = () => z.toJSONSchema(schema, { io });
  return {
    vendor: "zod",
    validate: schema["~standard"].validate,
    toJSONSchema: toJSONSchema as ResolverReturnType["toJSONSchema"],
    toOpenAPISchema: async () => {
      const converted = JSON.stringify(toJSONSchema()).replaceAll(
        '"#/$defs/',
        '"#/components/schemas/',
      );
      const { $schema: _, $defs, ...root } = JSON.parse(converted);
      return { schema: root, components: $defs ? { schemas: $defs } : undefined };
    },
  };
}

/** A request body or query schema: described as the API accepts it. */
export const requestSchema = (schema: z.core.$ZodType) => openApiSchema(schema, "input");
/** A response body schema: described as the API sends it. */
export const responseSchema = (schema: z.core.$ZodType) => openApiSchema(schema, "output");
