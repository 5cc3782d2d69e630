import { describe, expect, it } from "vitest";
import { type Measurement, perRound } from "../../bench/lib/measure.ts";
import { judge, judgeMedian, median, percentile } from "../../bench/lib/stats.ts";

describe("the median", () => {
  it("is the middle value of an odd count, in any order", () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([7])).toBe(7);
  });

  it("is the mean of the two middle values of an even count", () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([10, 20])).toBe(15);
    expect(median([1, 2, 3, 100, 200, 300])).toBe(51.5);
  });

  it("is NaN for no values, never a made-up figure", () => {
    expect(median([])).toBeNaN();
  });

  it("leaves percentiles at a measured value (nearest rank)", () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(percentile([1, 2, 3, 4], 99)).toBe(4);
  });
});

describe("judging a target round by round", () => {
  it("is met only when every round meets an upper limit", () => {
    expect(judge([10, 40, 110], { atMost: 120 })).toBe("met");
    expect(judge([10, 40, 130], { atMost: 120 })).toBe("within noise");
    expect(judge([130, 150, 200], { atMost: 120 })).toBe("not met");
  });

  it("calls a difference below zero in any round within noise, never met", () => {
    expect(judge([-5, 3, 4], { atMost: 15 })).toBe("within noise");
  });

  it("calls a spread wider than the target within noise, even with the median inside it", () => {
    // median 7.5 ≤ 15, but the rounds span 0–300 µs: no evidence either way
    expect(judge([0, 5, 10, 300], { atMost: 15 })).toBe("within noise");
  });

  it("judges ratios against a lower limit the same way", () => {
    expect(judge([0.96, 1.02], { atLeast: 0.95 })).toBe("met");
    expect(judge([0.9, 1.02], { atLeast: 0.95 })).toBe("within noise");
    expect(judge([0.7, 0.75], { atLeast: 0.95 })).toBe("not met");
    expect(judge([], { atLeast: 0.95 })).toBe("within noise");
  });

  it("judges a p50 latency by the 95 % interval of its median", () => {
    const around = (centre: number) => Array.from({ length: 20 }, (_, i) => centre - 10 + i);
    expect(judgeMedian(around(100), 200)).toBe("met");
    expect(judgeMedian(around(300), 200)).toBe("not met");
    expect(judgeMedian(around(200), 200)).toBe("within noise");
  });
});

describe("per-round figures of a target beside its baseline", () => {
  const row = (id: string, roundsReqPerSec: number[], roundsServerCpuMicros: number[]) =>
    ({ id, roundsReqPerSec, roundsServerCpuMicros }) as Measurement;
  const rows = [row("api", [90, 180], [1_100, 2_150]), row("floor", [100, 200], [1_000, 2_000])];

  it("pairs each round with the baseline's same round", () => {
    expect(perRound(rows, "api", "floor", "ratio")).toEqual([0.9, 0.9]);
    expect(perRound(rows, "api", "floor", "cpuAbove")).toEqual([100, 150]);
  });

  it("is undefined when either was not measured", () => {
    expect(perRound(rows, "api", "missing", "ratio")).toBeUndefined();
  });
});
