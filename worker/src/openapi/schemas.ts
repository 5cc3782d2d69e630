import { resolver } from "hono-openapi";
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

/** A response body schema: described as the API sends it (`io: "output"`). */
export const responseSchema = (schema: z.core.$ZodType) =>
  resolver(schema, { options: { io: "output" } });
