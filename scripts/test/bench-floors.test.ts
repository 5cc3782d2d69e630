import { describe, expect, it } from "vitest";
import { cpuAboveFloor, siteCpuBreakdown } from "../../bench/lib/analysis.ts";
import type { MeasuredRow } from "../../bench/lib/report.ts";

const row = (id: string, roundsServerCpuMicros: number[]): MeasuredRow => ({
  id,
  group: "site",
  label: id,
  baselineId: id,
  vsBaseline: 1,
  reqPerSec: 100,
  roundsReqPerSec: [100],
  p50Ms: 1,
  p99Ms: 1,
  requests: 100,
  failures: 0,
  serverCpuMicrosPerRequest:
    roundsServerCpuMicros.reduce((sum, us) => sum + us, 0) / roundsServerCpuMicros.length,
  roundsServerCpuMicros,
  logDrainCpuMicrosPerRequest: 0,
});

describe("a target's CPU above its floor", () => {
  it("subtracts round by round, then takes the median, so one slow round does not move it", () => {
    const rows = [row("api.list", [1_100, 1_150, 3_000]), row("d1.list", [1_000, 1_000, 1_000])];
    expect(cpuAboveFloor(rows, "api.list", "d1.list")).toBe(150);
  });

  it("pairs each round with the floor's round, not the floor's average", () => {
    // The machine slowed down in round 2 for both: the difference stays 100.
    const rows = [row("a", [1_100, 2_100, 1_100]), row("floor", [1_000, 2_000, 1_000])];
    expect(cpuAboveFloor(rows, "a", "floor")).toBe(100);
  });

  it("is undefined when either was not measured", () => {
    expect(cpuAboveFloor([row("a", [1])], "a", "floor")).toBeUndefined();
    expect(cpuAboveFloor([row("floor", [1])], "a", "floor")).toBeUndefined();
  });
});

describe("the site's CPU beside its floor", () => {
  it("gives each measured page its total, its floor's and its own", () => {
    const rows = [
      row("site.todos", [5_000, 5_200, 5_100]),
      row("site-floor.todos", [3_000, 3_100, 3_000]),
      row("site.sign-in", [1_500]),
    ];
    expect(siteCpuBreakdown(rows)).toEqual([
      { page: "/todos", totalMicros: 5_100, floorMicros: 3_033.3333333333335, ownMicros: 2_100 },
    ]);
  });
});
