import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import type { AppEnv } from "../env.ts";
import { errors, json } from "../openapi/responses.ts";
import { Me } from "../schemas/api.ts";

export const me = new Hono<AppEnv>().get(
  "/",
  describeRoute({
    operationId: "getMe",
    summary: "The caller's user id (the token's `sub`)",
    responses: { 200: json("The caller", Me), ...errors(401, 500) },
  }),
  (c) => c.json({ userId: c.var.userId }, 200),
);
