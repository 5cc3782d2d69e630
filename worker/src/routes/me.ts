import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import { erase } from "../db/erasure.ts";
import type { AppEnv } from "../env.ts";
import {
  bookmarkParameter,
  D1_ANSWER_HEADERS,
  errors,
  headers,
  json,
} from "../openapi/responses.ts";
import { Me } from "../schemas/api.ts";

export const me = new Hono<AppEnv>()
  .get(
    "/",
    describeRoute({
      operationId: "getMe",
      summary: "The caller's user id (the token's `sub`)",
      responses: { 200: json("The caller", Me), ...errors(401, 500) },
    }),
    (c) => c.json({ userId: c.var.userId }, 200),
  )
  .delete(
    "/",
    describeRoute({
      operationId: "eraseMe",
      summary: "Erase the caller's todos, for account deletion",
      description:
        "Deletes every todo of the caller now and records the erasure, so that a scheduled run deletes any todo a still-valid token creates within the next 31 minutes, then forgets the record.",
      parameters: [bookmarkParameter],
      responses: {
        204: { description: "Erased; no body", headers: headers(...D1_ANSWER_HEADERS) },
        ...errors(401, 500, 503),
      },
    }),
    async (c) => {
      await erase(c.var.db, c.var.userId);
      return c.body(null, 204);
    },
  );
