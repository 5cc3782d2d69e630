import * as z from "zod/mini";

export const TITLE_MAX = 200;
export const DESCRIPTION_MAX = 2000;
export const LIST_LIMIT_DEFAULT = 50;
export const LIST_LIMIT_MAX = 100;

/** A todo id as the API makes it (`crypto.randomUUID()`): a lower-case canonical UUID. */
export const TODO_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const OBJECT_EXPECTED = { error: "must be a JSON object" };

const title = z
  .string({ error: "must be a string" })
  .check(
    z.trim(),
    z.minLength(1, "must not be empty"),
    z.maxLength(TITLE_MAX, `must be at most ${TITLE_MAX} characters`),
  );
const description = z
  .string({ error: "must be a string" })
  .check(z.maxLength(DESCRIPTION_MAX, `must be at most ${DESCRIPTION_MAX} characters`));
const completed = z.boolean({ error: "must be true or false" });

/** Request schemas are strict: any other field (`userId`, `id`, …) is a 400 naming it. */
export const TodoCreate = z.strictObject(
  { title, description: z.optional(description), completed: z.optional(completed) },
  OBJECT_EXPECTED,
);

export const TodoUpdate = z
  .strictObject(
    {
      title: z.optional(title),
      description: z.optional(description),
      completed: z.optional(completed),
    },
    OBJECT_EXPECTED,
  )
  .check(
    z.refine((update) => Object.keys(update).length > 0, {
      message: "must set at least one of title, description, completed",
    }),
  );

export const CompleteAll = z.strictObject({ completed }, OBJECT_EXPECTED);

export const TodoStatus = z.enum(["all", "active", "completed"], {
  error: "must be all, active or completed",
});

export const ListQuery = z.strictObject({
  status: z._default(TodoStatus, "all"),
  limit: z._default(
    z.coerce
      .number({ error: "must be a number" })
      .check(
        z.refine(Number.isInteger, "must be a whole number"),
        z.gte(1, "must be at least 1"),
        z.lte(LIST_LIMIT_MAX, `must be at most ${LIST_LIMIT_MAX}`),
      ),
    LIST_LIMIT_DEFAULT,
  ),
  cursor: z.optional(z.string().check(z.minLength(1, "must not be empty"))),
});

export const ClearQuery = z.strictObject({
  status: z.enum(["completed", "all"], { error: "must be completed or all" }),
});

/** A todo as the API returns it: never its owner. */
export const Todo = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  completed: z.boolean(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

export const TodoPage = z.object({
  items: z.array(Todo),
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: z.nullable(z.string()),
  /** The caller's totals, whatever the filter. */
  counts: z.object({ active: z.number(), completed: z.number() }),
});

export const UpdatedCount = z.object({ updated: z.number() });
export const DeletedCount = z.object({ deleted: z.number() });

export type Todo = z.infer<typeof Todo>;
export type TodoPage = z.infer<typeof TodoPage>;
export type TodoCreate = z.infer<typeof TodoCreate>;
export type TodoUpdate = z.infer<typeof TodoUpdate>;
export type TodoStatus = z.infer<typeof TodoStatus>;
export type ListQuery = z.infer<typeof ListQuery>;

/** `GET /api/todos/export`: JSON unless `format=csv` (or `Accept: text/csv` without `format`). */
export const ExportQuery = z.strictObject({
  format: z.optional(z.enum(["json", "csv"], { error: "must be json or csv" })),
});
export type ExportQuery = z.infer<typeof ExportQuery>;
