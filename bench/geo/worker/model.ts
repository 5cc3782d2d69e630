/** What the simulated deployment looks like, as the bench sets it at run time. */
export type SimConfig = {
  /** Round-trip time from the Worker to the D1 primary, in ms. */
  primaryRttMs: number;
  /** Round-trip time from the Worker to the nearest read replica, in ms. */
  replicaRttMs: number;
  /** How long after a write the replica has applied it, in ms. */
  lagMs: number;
  /** Off: every round trip goes to the primary, as without read replication. */
  replication: boolean;
  /** A primary RTT of its own for some bindings (by binding name), e.g. a shard near the Worker. */
  primaryRttByBinding?: Record<string, number>;
};

/** One simulated D1 round trip (one statement execution or one `batch`). */
export type RoundTrip = {
  /** Who served it, for which binding. */
  served: "primary" | "replica";
  binding: string;
  /** Wall-clock ms (epoch) when the Worker sent it and when it got the answer. */
  start: number;
  end: number;
  /** Part of the wait spent until the replica had caught up with the session's bookmark. */
  lagWaitMs: number;
  /** The start of its (first) statement, to tell round trips apart in a trace. */
  sql: string;
};

export const DEFAULT_CONFIG: SimConfig = {
  primaryRttMs: 150,
  replicaRttMs: 5,
  lagMs: 20,
  replication: true,
};

/** The bench's control endpoints on a wrapped Worker (never in a shipped Worker). */
export const SIM_PATHS = { config: "/__sim/config", trips: "/__sim/trips" } as const;

/** A request header whose JSON becomes the request's `cf` (where it came from), bench only. */
export const CF_HEADER = "x-sim-cf";

/** The response header that counts the request's D1 round trips. */
export const ROUND_TRIPS_HEADER = "x-sim-d1-round-trips";
