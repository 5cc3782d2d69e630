/** Fixed settings of a bench run: one place, so every target is measured the same way. */

/** Ports on 127.0.0.1. 8787 and 4321 belong to `npm run dev`. */
export const PORTS = {
  api: 8788,
  bare: 8789,
  d1List: 8790,
  peer: 8791,
  site: 8792,
  load: 8793,
  siteFloor: 8794,
} as const;

export const HOST = "127.0.0.1";

/** One load-generator setting for every target (autocannon). */
export const LOAD = {
  connections: 10,
  warmupSeconds: 1,
  /** Each target is measured once per round; rounds interleave targets so drift hits all alike. */
  rounds: 6,
  secondsPerRound: 2,
} as const;

/** Seeded users: A is listed, B is written to, so A's list stays at 50 items. */
export const USERS = { reader: "bench-user-a", writer: "bench-user-b" } as const;
export const TODOS_PER_USER = 50;

/** Upper bounds for anything that waits. */
export const TIMEOUTS = {
  serverStartMs: 60_000,
  aptMs: 180_000,
} as const;
