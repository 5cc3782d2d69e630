import type { Measurement } from "./measure.ts";
import type { PlannedTarget } from "./plan.ts";
import type { AuthOverhead, CpuBreakdown, MeasuredRow } from "./report.ts";
import { median } from "./stats.ts";

/** Each measurement with its ratios to its baseline and to the peer, all from this run. */
export function measuredRows(
  targets: readonly PlannedTarget[],
  measured: readonly Measurement[],
): MeasuredRow[] {
  const byId = new Map(measured.map((m) => [m.id, m]));
  return targets.flatMap((planned) => {
    const m = byId.get(planned.id);
    if (!m) return [];
    const baseline = byId.get(planned.baselineId);
    const peer = planned.peerId ? byId.get(planned.peerId) : undefined;
    return [
      {
        ...m,
        group: planned.group,
        label: planned.label,
        baselineId: planned.baselineId,
        vsBaseline: m.reqPerSec / (baseline?.reqPerSec ?? Number.NaN),
        ...(peer ? { vsPeer: m.reqPerSec / peer.reqPerSec } : {}),
      },
    ];
  });
}

/**
 * What verifying the token costs, from `/api/me` (auth) and `/health` (none) on one server:
 * by throughput, round by round (the two ran side by side), and by the server's CPU per request.
 */
export function authOverhead(
  server: string,
  rows: readonly MeasuredRow[],
  prefix: string,
): AuthOverhead[] {
  const me = rows.find((row) => row.id === `${prefix}.me`);
  const health = rows.find((row) => row.id === `${prefix}.health`);
  if (!me || !health) return [];
  const perRound = me.roundsReqPerSec.map((rps, i) => 1 - rps / (health.roundsReqPerSec[i] ?? rps));
  return [
    {
      server,
      perRound,
      median: median(perRound),
      cpuMicrosPerRequest: me.serverCpuMicrosPerRequest - health.serverCpuMicrosPerRequest,
      cpuShare: 1 - health.serverCpuMicrosPerRequest / me.serverCpuMicrosPerRequest,
    },
  ];
}

/**
 * Where the authenticated list's server CPU goes: the runtime's HTTP floor (bare Worker),
 * D1 (the bare D1 Worker minus that floor), and the rest, which is the API's own code.
 */
export function listCpuBreakdown(rows: readonly MeasuredRow[]): CpuBreakdown | undefined {
  const cpu = (id: string) => rows.find((row) => row.id === id)?.serverCpuMicrosPerRequest;
  const [list, floor, d1] = [cpu("api.list"), cpu("bare"), cpu("d1.list")];
  if (list === undefined || floor === undefined || d1 === undefined) return undefined;
  return { totalMicros: list, runtimeMicros: floor, d1Micros: d1 - floor, apiMicros: list - d1 };
}
