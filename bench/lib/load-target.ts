/** One HTTP request shape that the load generator repeats. */
export type LoadTarget = {
  url: string;
  method: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string;
  /** Only responses with this status count as successes (and into latency). */
  expectStatus: number;
};

/** What one measurement of one target yields. */
export type LoadSample = {
  seconds: number;
  requests: number;
  /** Responses with another status than expected, and socket errors or timeouts. */
  failures: number;
  /** Latencies of successful requests in ms, sorted ascending. */
  latenciesMs: number[];
};

export type LoadJob = { target: LoadTarget; seconds: number; connections: number };
