import * as z from "zod/mini";

export const TITLE_MAX = 200;
export const DESCRIPTION_MAX = 2000;
export const LIST_LIMIT_DEFAULT = 50;
export const LIST_LIMIT_MAX = 100;

/** A todo id as the API makes it (`crypto.randomUUID()`): a lower-case canonical UUID. */
export const TODO_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const OBJECT_EXPECTED = { error: "must be a JSON object" };

/** A type error's message, or "is required" when the field is missing. */
const typeError = (message: string) => ({
  error: (issue: { input?: unknown }) => (issue.input === undefined ? "is required" : message),
});

const title = z
  .string(typeError("must be a string"))
  .check(
    z.trim(),
    z.minLength(1, "must not be empty"),
    z.maxLength(TITLE_MAX, `must be at most ${TITLE_MAX} characters`),
  );
const description = z
  .string({ error: "must be a string" })
  .check(z.maxLength(DESCRIPTION_MAX, `must be at most ${DESCRIPTION_MAX} characters`));
const completed = z.boolean(typeError("must be true or false"));

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

/**
 * `limit` as the query string carries it: plain decimal digits only (no sign, point,
 * exponent, spaces or hex, so `1e1` and `2.5` are refused), then 1–100. The check is a
 * refinement rather than a regex so the document shows the integer it is, not a string.
 */
const listLimit = z.pipe(
  z.string().check(z.refine((text) => /^[0-9]+$/.test(text), "must be a whole number")),
  z.coerce
    .number<string>()
    .check(
      z.gte(1, "must be at least 1"),
      z.lte(LIST_LIMIT_MAX, `must be at most ${LIST_LIMIT_MAX}`),
    ),
);
z.globalRegistry.add(listLimit, {
  type: "integer",
  minimum: 1,
  maximum: LIST_LIMIT_MAX,
  description: `Page size: plain decimal digits, 1–${LIST_LIMIT_MAX}.`,
});

export const ListQuery = z.strictObject({
  status: z._default(TodoStatus, "all"),
  limit: z._default(listLimit, LIST_LIMIT_DEFAULT),
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

/** A number of todos. */
const count = z.int().check(z.nonnegative());

export const TodoPage = z.object({
  items: z.array(Todo),
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: z.nullable(z.string()),
  /** The caller's totals, whatever the filter. */
  counts: z.object({ active: count, completed: count }),
});

export const UpdatedCount = z.object({ updated: count });
export const DeletedCount = z.object({ deleted: count });

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
