import { Hono } from "hono";
import { isConfigured } from "../auth/secrets.ts";
import type { AppEnv } from "../env.ts";

/** Liveness without auth; 503 when the API could not verify a token. */
export const health = new Hono<AppEnv>().get("/", (c) =>
  isConfigured(c.env)
    ? c.json({ status: "ok" as const }, 200)
    : c.json({ status: "misconfigured" as const }, 503),
);
