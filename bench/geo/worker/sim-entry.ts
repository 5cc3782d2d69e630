/**
 * Wraps a Worker's default export so that every D1 binding in its `env` (the one passed to
 * its handlers and the one `cloudflare:workers` exports, via `withEnv`) is a delaying
 * DelayedDatabase. Adds the request's D1 round-trip count as a response header and serves
 * the bench's control endpoints. Runs inside workerd; bench only.
 */
import { type Database, DelayedDatabase, ReplicaClock } from "./delayed-d1.ts";
import {
  DEFAULT_CONFIG,
  ROUND_TRIPS_HEADER,
  type RoundTrip,
  SIM_PATHS,
  type SimConfig,
} from "./model.ts";

type Env = Record<string, unknown>;
type Handler = (event: unknown, env: Env, ctx: unknown) => unknown;
type Worker = { fetch?: (request: Request, env: Env, ctx: unknown) => Promise<Response> } & {
  [handler: string]: unknown;
};
type WithEnv = (env: unknown, fn: () => unknown) => unknown;

const OTHER_HANDLERS = ["scheduled", "queue", "tail"];

const isD1 = (value: unknown): value is Database =>
  typeof value === "object" &&
  value !== null &&
  "prepare" in value &&
  "batch" in value &&
  "exec" in value;

export function simulateD1(worker: Worker, withEnv: WithEnv): Worker {
  let config: SimConfig = { ...DEFAULT_CONFIG };
  const clocks = new Map<string, ReplicaClock>();
  /** Each request's round trips, until the bench reads them. */
  let logs: RoundTrip[][] = [];

  const delayedEnv = (env: Env, log: RoundTrip[]): Env =>
    Object.fromEntries(
      Object.entries(env).map(([name, value]) => {
        if (!isD1(value)) return [name, value];
        const clock = clocks.get(name) ?? new ReplicaClock();
        clocks.set(name, clock);
        return [name, new DelayedDatabase(value, { config, clock, log })];
      }),
    );

  async function control(request: Request): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (pathname === SIM_PATHS.config && request.method === "POST") {
      config = { ...config, ...((await request.json()) as Partial<SimConfig>) };
      return Response.json(config);
    }
    if (pathname === SIM_PATHS.trips) {
      const trips = logs.flat();
      logs = [];
      return Response.json(trips);
    }
    return new Response("unknown simulation endpoint", { status: 404 });
  }

  const wrapped: Worker = {
    async fetch(request, env, ctx) {
      if (new URL(request.url).pathname.startsWith("/__sim/")) return control(request);
      if (!worker.fetch) throw new Error("the wrapped Worker has no fetch handler");
      const log: RoundTrip[] = [];
      logs.push(log);
      const simEnv = delayedEnv(env, log);
      const response = (await withEnv(simEnv, () =>
        worker.fetch?.(request, simEnv, ctx),
      )) as Response;
      const counted = new Response(response.body, response);
      counted.headers.set(ROUND_TRIPS_HEADER, String(log.length));
      return counted;
    },
  };
  for (const name of OTHER_HANDLERS) {
    const handler = worker[name];
    if (typeof handler !== "function") continue;
    wrapped[name] = (event: unknown, env: Env, ctx: unknown) => {
      const simEnv = delayedEnv(env, []);
      return withEnv(simEnv, () => (handler as Handler).call(worker, event, simEnv, ctx));
    };
  }
  return wrapped;
}
