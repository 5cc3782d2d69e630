/**
 * Wraps a Worker's default export so that every D1 binding in its `env` (the one passed to
 * its handlers and the one `cloudflare:workers` exports, via `withEnv`) is a delayed
 * database (delayed-d1.ts): one per binding for the isolate's life, reading the settings at
 * every round trip and charging each round trip to the request it runs in. Adds the
 * request's count as a response header, gives a request the `cf` its `x-sim-cf` header
 * names (where it came from), and serves the bench's control endpoints. Runs inside
 * workerd; bench only.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { type Database, delayedDatabase, ReplicaClock } from "./delayed-d1.ts";
import {
  CF_HEADER,
  DEFAULT_CONFIG,
  ROUND_TRIPS_HEADER,
  type RoundTrip,
  SIM_PATHS,
  type SimConfig,
} from "./model.ts";

type Env = Record<string, unknown>;
/** Only `fetch` is wrapped: nothing in the bench sends a scheduled, queue or tail event. */
type Worker = { fetch?: (request: Request, env: Env, ctx: unknown) => Promise<Response> };
type WithEnv = (env: unknown, fn: () => unknown) => unknown;

const isD1 = (value: unknown): value is Database =>
  typeof value === "object" &&
  value !== null &&
  "prepare" in value &&
  "batch" in value &&
  "exec" in value;

export function simulateD1(worker: Worker, withEnv: WithEnv): Worker {
  let config: SimConfig = { ...DEFAULT_CONFIG };
  /** Round trips until the bench takes them, and the running request's own. */
  let untaken: RoundTrip[] = [];
  const requestTrips = new AsyncLocalStorage<RoundTrip[]>();
  const record = (trip: RoundTrip) => {
    untaken.push(trip);
    requestTrips.getStore()?.push(trip);
  };
  const reals = new Map<string, Database>();
  const delayed = new Map<string, Database>();

  /** The isolate's delayed database for binding `name`, over the running request's `real` one. */
  const delayedBinding = (name: string, real: Database): Database => {
    reals.set(name, real);
    let db = delayed.get(name);
    if (!db) {
      const context = { binding: name, config: () => config, clock: new ReplicaClock(), record };
      db = delayedDatabase(() => reals.get(name) as Database, context);
      delayed.set(name, db);
    }
    return db;
  };
  const delayedEnv = (env: Env): Env =>
    Object.fromEntries(
      Object.entries(env).map(([name, value]) => [
        name,
        isD1(value) ? delayedBinding(name, value) : value,
      ]),
    );

  async function control(request: Request): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (pathname === SIM_PATHS.config && request.method === "POST") {
      config = { ...config, ...((await request.json()) as Partial<SimConfig>) };
      return Response.json(config);
    }
    if (pathname === SIM_PATHS.trips) {
      const trips = untaken;
      untaken = [];
      return Response.json(trips);
    }
    return new Response("unknown simulation endpoint", { status: 404 });
  }

  return {
    async fetch(request, env, ctx) {
      if (new URL(request.url).pathname.startsWith("/__sim/")) return control(request);
      if (!worker.fetch) throw new Error("the wrapped Worker has no fetch handler");
      const cf = request.headers.get(CF_HEADER);
      if (cf) request = new Request(request, { cf: JSON.parse(cf) } as RequestInit);
      const trips: RoundTrip[] = [];
      const simEnv = delayedEnv(env);
      const response = (await requestTrips.run(trips, () =>
        withEnv(simEnv, () => worker.fetch?.(request, simEnv, ctx)),
      )) as Response;
      const counted = new Response(response.body, response);
      counted.headers.set(ROUND_TRIPS_HEADER, String(trips.length));
      return counted;
    },
  };
}
