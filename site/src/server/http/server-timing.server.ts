/** One `Server-Timing` entry: what took the time, and how long in milliseconds. */
export type TimingEntry = { name: string; ms: number };

/**
 * The `Server-Timing` value for a request's entries (`auth-d1`, `api`, each
 * once per round trip) and its total: `auth-d1;dur=3.1, api;dur=12.4, total;dur=16.0`.
 */
export function serverTimingValue(entries: readonly TimingEntry[], totalMs: number): string {
  return [...entries, { name: "total", ms: totalMs }]
    .map(({ name, ms }) => `${name};dur=${ms.toFixed(1)}`)
    .join(", ");
}

/** Runs `work` and records how long it took under `name`, whether it succeeded or not. */
export async function timed<T>(
  entries: TimingEntry[] | undefined,
  name: string,
  work: () => Promise<T>,
): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    entries?.push({ name, ms: performance.now() - started });
  }
}
