/** Nearest-rank percentile of values sorted ascending (p95, p99: a value that was measured). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] as number;
}

/** The median: the middle value, or the mean of the two middle values of an even count. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

export type Verdict = "met" | "not met" | "within noise";

/**
 * A target judged on one figure per round (rounds interleave the target and its baseline).
 * It is met only when every round meets it, not met when every round misses it, and
 * within noise otherwise: a figure whose rounds straddle the limit, or (for a difference
 * from a floor, `atMost`) a round below zero, is no evidence either way.
 */
export function judge(
  perRound: readonly number[],
  limit: { atMost: number } | { atLeast: number },
): Verdict {
  if (perRound.length === 0 || perRound.some((v) => !Number.isFinite(v))) return "within noise";
  const meets = (v: number) =>
    "atMost" in limit ? v >= 0 && v <= limit.atMost : v >= limit.atLeast;
  const misses = (v: number) => ("atMost" in limit ? v > limit.atMost : v < limit.atLeast);
  if (perRound.every(meets)) return "met";
  if (perRound.every(misses)) return "not met";
  return "within noise";
}

/**
 * A p50 latency against a limit: met when the whole 95 % confidence interval of the median
 * (order statistics, normal approximation) is within it, not met when the whole interval
 * is above it, within noise when the limit falls inside the interval.
 */
export function judgeMedian(samples: readonly number[], atMost: number): Verdict {
  const sorted = [...samples].sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return "within noise";
  const half = 1.96 * Math.sqrt(n);
  const low = sorted[Math.max(0, Math.floor((n - half) / 2) - 1)] as number;
  const high = sorted[Math.min(n - 1, Math.ceil((n + half) / 2))] as number;
  if (high <= atMost) return "met";
  if (low > atMost) return "not met";
  return "within noise";
}
