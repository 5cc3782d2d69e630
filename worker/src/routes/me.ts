import { Hono } from "hono";
import { erase } from "../db/erasure.ts";
import type { AppEnv } from "../env.ts";

export const me = new Hono<AppEnv>()
  .get("/", (c) => c.json({ userId: c.var.userId }, 200))
  /** Erasure, for account deletion: the todos go now, and any made later by an old token within 31 minutes. */
  .delete("/", async (c) => {
    await erase(c.var.db, c.var.userId);
    return c.body(null, 204);
  });
