import { zValidator } from "@hono/zod-validator";
import type { ValidationTargets } from "hono";
import { uniqueSymbol } from "hono-openapi";
import type { core } from "zod/mini";
import { ApiError, type FieldErrors } from "../errors.ts";
import { requestSchema } from "../openapi/schemas.ts";

/** Where a problem with the body as a whole (not one field) is reported in `fields`. */
const WHOLE_INPUT = "body";

/** Maps zod issues onto `fields`: one message per field, the first one found. */
export function fieldErrors(error: core.$ZodError): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) fields[key] ??= "is not an accepted field";
      continue;
    }
    const field = issue.path.length > 0 ? issue.path.join(".") : WHOLE_INPUT;
    fields[field] ??= issue.message;
  }
  return fields;
}

/**
 * `zValidator` whose failures become the 400 `validation_error` naming each field.
 * It also carries `schema` for the OpenAPI document (the request body or the query
 * parameters), as hono-openapi's own `validator` does, so the document describes
 * exactly what is validated; the request path never reads it.
 */
export const validate = <Target extends keyof ValidationTargets, Schema extends core.$ZodType>(
  target: Target,
  schema: Schema,
) =>
  Object.assign(
    zValidator(target, schema, (result) => {
      if (!result.success) {
        const fields = fieldErrors(result.error);
        throw new ApiError("validation_error", `Invalid ${Object.keys(fields).join(", ")}`, {
          fields,
        });
      }
    }),
    { [uniqueSymbol]: { target, ...requestSchema(schema) } },
  );
