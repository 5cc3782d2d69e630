import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import { createOnce } from "../db/idempotent-create.ts";
import { todoStore } from "../db/todos.ts";
import type { AppEnv } from "../env.ts";
import { notFound } from "../errors.ts";
import { IDEMPOTENCY_KEY_HEADER, idempotencyKey } from "../middleware/idempotency-key.ts";
import { jsonBody } from "../middleware/json-body.ts";
import { validate } from "../middleware/validate.ts";
import {
  bookmarkParameter,
  D1_ANSWER_HEADERS,
  errors,
  headers,
  idempotencyKeyParameter,
  json,
} from "../openapi/responses.ts";
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
} from "../schemas/todo.ts";

const d1Headers = headers(...D1_ANSWER_HEADERS);

/** The caller's todos. Mounted behind `bearerAuth`, so `c.var.userId` is always the token's `sub`. */
export const todos = new Hono<AppEnv>()
  .get(
    "/",
    describeRoute({
      operationId: "listTodos",
      summary: "List the caller's todos, newest first",
      parameters: [bookmarkParameter],
      responses: {
        200: { ...json("One page of todos and the caller's counts", TodoPage), headers: d1Headers },
        ...errors(400, 401, 500, 503),
      },
    }),
    validate("query", ListQuery),
    async (c) => {
      const page = await todoStore(c.var.db, c.var.userId).list(c.req.valid("query"));
      return c.json(page, 200);
    },
  )
  .post(
    "/",
    describeRoute({
      operationId: "createTodo",
      summary: "Create a todo",
      parameters: [bookmarkParameter, idempotencyKeyParameter],
      responses: {
        201: { ...json("The new todo", Todo), headers: headers("Location", ...D1_ANSWER_HEADERS) },
        ...errors(400, 401, 413, 415, 422, 500, 503),
      },
    }),
    jsonBody(),
    validate("json", TodoCreate),
    async (c) => {
      const input = c.req.valid("json");
      const key = idempotencyKey(c.req.header(IDEMPOTENCY_KEY_HEADER));
      const todo =
        key === undefined
          ? await todoStore(c.var.db, c.var.userId).create(input)
          : await createOnce(c.var.db, c.var.userId, key, input);
      return c.json(todo, 201, { Location: `/api/todos/${todo.id}` });
    },
  )
  .delete(
    "/",
    describeRoute({
      operationId: "deleteTodos",
      summary: "Delete the caller's completed todos (“clear completed”), or all of them",
      parameters: [bookmarkParameter],
      responses: {
        200: { ...json("How many todos were deleted", DeletedCount), headers: d1Headers },
        ...errors(400, 401, 500, 503),
      },
    }),
    validate("query", ClearQuery),
    async (c) => {
      const { status } = c.req.valid("query");
      const deleted = await todoStore(c.var.db, c.var.userId).removeMany(status);
      return c.json({ deleted }, 200);
    },
  )
  .post(
    "/complete-all",
    describeRoute({
      operationId: "completeAllTodos",
      summary: "Mark all of the caller's todos completed or not (“toggle all”)",
      parameters: [bookmarkParameter],
      responses: {
        200: {
          ...json("How many todos changed their `completed` flag", UpdatedCount),
          headers: d1Headers,
        },
        ...errors(400, 401, 413, 415, 500, 503),
      },
    }),
    jsonBody(),
    validate("json", CompleteAll),
    async (c) => {
      const { completed } = c.req.valid("json");
      const updated = await todoStore(c.var.db, c.var.userId).setAllCompleted(completed);
      return c.json({ updated }, 200);
    },
  )
  .get(
    "/:id",
    describeRoute({
      operationId: "getTodo",
      summary: "One of the caller's todos",
      parameters: [bookmarkParameter],
      responses: {
        200: { ...json("The todo", Todo), headers: d1Headers },
        ...errors(401, 404, 500, 503),
      },
    }),
    async (c) => {
      const todo = await todoStore(c.var.db, c.var.userId).get(c.req.param("id"));
      if (!todo) throw notFound();
      return c.json(todo, 200);
    },
  )
  .patch(
    "/:id",
    describeRoute({
      operationId: "updateTodo",
      summary: "Change a todo's title, description or completed flag",
      parameters: [bookmarkParameter],
      responses: {
        200: { ...json("The changed todo", Todo), headers: d1Headers },
        ...errors(400, 401, 404, 413, 415, 500, 503),
      },
    }),
    jsonBody(),
    validate("json", TodoUpdate),
    async (c) => {
      const store = todoStore(c.var.db, c.var.userId);
      const todo = await store.update(c.req.param("id"), c.req.valid("json"));
      if (!todo) throw notFound();
      return c.json(todo, 200);
    },
  )
  .delete(
    "/:id",
    describeRoute({
      operationId: "deleteTodo",
      summary: "Delete a todo",
      parameters: [bookmarkParameter],
      responses: {
        204: { description: "Deleted; no body", headers: d1Headers },
        ...errors(401, 404, 500, 503),
      },
    }),
    async (c) => {
      if (!(await todoStore(c.var.db, c.var.userId).remove(c.req.param("id")))) throw notFound();
      return c.body(null, 204);
    },
  );
