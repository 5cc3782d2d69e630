import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import { MIN_SECRET_BYTES } from "../auth/claims.ts";
import { isConfigured } from "../auth/secrets.ts";
import type { AppEnv } from "../env.ts";
import { json } from "../openapi/responses.ts";
import { Health } from "../schemas/api.ts";

/** Liveness without auth; 503 when the API could not verify a token. */
export const health = new Hono<AppEnv>().get(
  "/",
  describeRoute({
    operationId: "getHealth",
    summary: "Liveness, and whether the API can verify tokens",
    security: [],
    responses: {
      200: json("`ok`: the API is up and has a usable `JWT_SECRET`", Health),
      503: json(
        `\`misconfigured\`: \`JWT_SECRET\` is missing or shorter than ${MIN_SECRET_BYTES} bytes`,
        Health,
      ),
    },
  }),
  (c) =>
    isConfigured(c.env)
      ? c.json({ status: "ok" as const }, 200)
      : c.json({ status: "misconfigured" as const }, 503),
);
