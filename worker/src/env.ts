import type { RequestIdVariables } from "hono/request-id";

/** Bindings come from `wrangler types` (worker-configuration.d.ts); variables are set by middleware. */
export type AppEnv = {
  Bindings: Env;
  Variables: RequestIdVariables & {
    /** The caller's id, taken from the verified token's `sub` and nowhere else. */
    userId: string;
  };
};
