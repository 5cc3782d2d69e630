import { Hono } from "hono";
import { createOnce } from "../db/idempotent-create.ts";
import { todoStore } from "../db/todos.ts";
import type { AppEnv } from "../env.ts";
import { notFound } from "../errors.ts";
import { IDEMPOTENCY_KEY_HEADER, idempotencyKey } from "../middleware/idempotency-key.ts";
import { jsonBody } from "../middleware/json-body.ts";
import { validate } from "../middleware/validate.ts";
import { ClearQuery, CompleteAll, ListQuery, TodoCreate, TodoUpdate } from "../schemas/todo.ts";

/** The caller's todos. Mounted behind `bearerAuth`, so `c.var.userId` is always the token's `sub`. */
export const todos = new Hono<AppEnv>()
  .get("/", validate("query", ListQuery), async (c) => {
    const page = await todoStore(c.var.db, c.var.userId).list(c.req.valid("query"));
    return c.json(page, 200);
  })
  .post("/", jsonBody(), validate("json", TodoCreate), async (c) => {
    const input = c.req.valid("json");
    const key = idempotencyKey(c.req.header(IDEMPOTENCY_KEY_HEADER));
    const todo =
      key === undefined
        ? await todoStore(c.var.db, c.var.userId).create(input)
        : await createOnce(c.var.db, c.var.userId, key, input);
    return c.json(todo, 201, { Location: `/api/todos/${todo.id}` });
  })
  .delete("/", validate("query", ClearQuery), async (c) => {
    const { status } = c.req.valid("query");
    const deleted = await todoStore(c.var.db, c.var.userId).removeMany(status);
    return c.json({ deleted }, 200);
  })
  .post("/complete-all", jsonBody(), validate("json", CompleteAll), async (c) => {
    const { completed } = c.req.valid("json");
    const updated = await todoStore(c.var.db, c.var.userId).setAllCompleted(completed);
    return c.json({ updated }, 200);
  })
  .get("/:id", async (c) => {
    const todo = await todoStore(c.var.db, c.var.userId).get(c.req.param("id"));
    if (!todo) throw notFound();
    return c.json(todo, 200);
  })
  .patch("/:id", jsonBody(), validate("json", TodoUpdate), async (c) => {
    const store = todoStore(c.var.db, c.var.userId);
    const todo = await store.update(c.req.param("id"), c.req.valid("json"));
    if (!todo) throw notFound();
    return c.json(todo, 200);
  })
  .delete("/:id", async (c) => {
    if (!(await todoStore(c.var.db, c.var.userId).remove(c.req.param("id")))) throw notFound();
    return c.body(null, 204);
  });
