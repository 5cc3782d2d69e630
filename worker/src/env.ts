import type { RequestIdVariables } from "hono/request-id";
import type { TimingVariables } from "hono/timing";
import type { D1Client } from "./db/client.ts";
import type { Shard } from "./shards.ts";
import type { TraceVariables } from "./trace/trace-context.ts";

/**
 * `wrangler types` types only the secrets `wrangler.toml` requires; this one is set
 * during a rotation only, so it is declared here, as optional.
 */
type OptionalSecrets = {
  /** The secret tokens were signed with before the last rotation, for verification only. */
  JWT_SECRET_PREVIOUS?: string;
};

declare global {
  namespace Cloudflare {
    interface Env extends OptionalSecrets {}
  }
  interface Env extends OptionalSecrets {}
}

/** Bindings come from `wrangler types` (worker-configuration.d.ts); variables are set by middleware. */
export type AppEnv = {
  Bindings: Env;
  Variables: RequestIdVariables &
    TraceVariables &
    TimingVariables & {
      /** The caller's id, taken from the verified token's `sub` and nowhere else. */
      userId: string;
      /** The caller's shard: the token's `shard` claim, else a hash of `userId`. */
      shard: Shard;
      /** The request's D1 session; every query of an `/api/*` request goes through it. */
      db: D1Client;
    };
};
