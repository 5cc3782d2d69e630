import { AsyncLocalStorage } from "node:async_hooks";
import type { RequestLocation } from "./auth/home-shard.server.ts";
import type { TimingEntry } from "./http/server-timing.server.ts";
import type { Trace } from "./trace.server.ts";

/**
 * What one request carries besides Astro's context, reachable from code that
 * is built once per isolate (Better Auth's database) without holding a request.
 */
export type RequestContext = {
  /** The `Server-Timing` entries recorded so far. */
  timings: TimingEntry[];
  /** Where this request's reads of the auth database start (see auth-database.server.ts). */
  authStart: D1SessionConstraint;
  /** The request's D1 session on the auth database, opened at its first query. */
  authSession?: D1DatabaseSession;
  /** The request id and trace every API call of this request carries (trace.server.ts). */
  trace?: Trace;
  /** Where the request came from (`request.cf`), to choose a new person's home shard. */
  location?: RequestLocation;
  /** Where Cloudflare places the client (`request.cf`), kept with a session made now. */
  place?: { city?: string; country?: string };
};

const storage = new AsyncLocalStorage<RequestContext>();

/** Runs the rest of the request with `context` as its context. */
export function runWithRequestContext<T>(context: RequestContext, work: () => T): T {
  return storage.run(context, work);
}

/** The context of the request running now; undefined outside one (migrations, scripts). */
export function currentRequest(): RequestContext | undefined {
  return storage.getStore();
}
