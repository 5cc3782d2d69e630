import { z } from "zod";

export const TITLE_MAX = 200;
export const DESCRIPTION_MAX = 2000;
export const LIST_LIMIT_DEFAULT = 50;
export const LIST_LIMIT_MAX = 100;

const title = z
  .string({ error: "must be a string" })
  .trim()
  .min(1, "must not be empty")
  .max(TITLE_MAX, `must be at most ${TITLE_MAX} characters`);
const description = z
  .string({ error: "must be a string" })
  .max(DESCRIPTION_MAX, `must be at most ${DESCRIPTION_MAX} characters`);
const completed = z.boolean({ error: "must be true or false" });

/** Request schemas are strict: any other field (`userId`, `id`, …) is a 400 naming it. */
export const TodoCreate = z.strictObject(
  { title, description: description.optional(), completed: completed.optional() },
  { error: "must be a JSON object" },
);

export const TodoUpdate = z
  .strictObject(
    {
      title: title.optional(),
      description: description.optional(),
      completed: completed.optional(),
    },
    { error: "must be a JSON object" },
  )
  .refine((update) => Object.keys(update).length > 0, {
    message: "must set at least one of title, description, completed",
  });

export const CompleteAll = z.strictObject({ completed }, { error: "must be a JSON object" });

export const TodoStatus = z.enum(["all", "active", "completed"], {
  error: "must be all, active or completed",
});

export const ListQuery = z.strictObject({
  status: TodoStatus.default("all"),
  limit: z.coerce
    .number({ error: "must be a number" })
    .int("must be a whole number")
    .min(1, "must be at least 1")
    .max(LIST_LIMIT_MAX, `must be at most ${LIST_LIMIT_MAX}`)
    .default(LIST_LIMIT_DEFAULT),
  cursor: z.string().min(1, "must not be empty").optional(),
});

export const ClearQuery = z.strictObject({
  status: z.enum(["completed", "all"], { error: "must be completed or all" }),
});

export type TodoCreate = z.infer<typeof TodoCreate>;
export type TodoUpdate = z.infer<typeof TodoUpdate>;
export type TodoStatus = z.infer<typeof TodoStatus>;
export type ListQuery = z.infer<typeof ListQuery>;

/** A todo as the API returns it: never its owner. */
export type Todo = {
  id: string;
  title: string;
  description: string;
  completed: boolean;
  createdAt: string;
  updatedAt: string;
};
