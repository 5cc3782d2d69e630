import { Hono } from "hono";
import type { AppEnv } from "../env.ts";

export const me = new Hono<AppEnv>().get("/", (c) => c.json({ userId: c.var.userId }, 200));
