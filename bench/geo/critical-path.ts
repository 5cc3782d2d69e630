import type { RoundTrip } from "./worker/model.ts";

/**
 * How many round trips a request waited on one after another: the longest chain of round
 * trips each of which started when (or after) the previous one ended. Round trips that
 * overlap in time ran in parallel and count once. Greedy by end time gives the longest
 * such chain of intervals.
 */
export function sequentialRoundTrips(trips: readonly RoundTrip[]): number {
  let chain = 0;
  let lastEnd = Number.NEGATIVE_INFINITY;
  for (const trip of [...trips].sort((a, b) => a.end - b.end)) {
    if (trip.start >= lastEnd) {
      chain++;
      lastEnd = trip.end;
    }
  }
  return chain;
}
