import type { Measurement } from "./measure.ts";
import type { PlannedTarget } from "./plan.ts";
import type { AuthOverhead, CpuBreakdown, MeasuredRow, SiteCpu } from "./report.ts";
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
 * A target's server CPU per request above its floor's, round by round (both ran in every
 * round, one after the other), then the median: drift between rounds cancels out.
 */
export function cpuAboveFloor(
  rows: readonly MeasuredRow[],
  id: string,
  floorId: string,
): number | undefined {
  const [row, floor] = [rows.find((r) => r.id === id), rows.find((r) => r.id === floorId)];
  if (!row || !floor) return undefined;
  return median(
    row.roundsServerCpuMicros.map((us, i) => us - (floor.roundsServerCpuMicros[i] ?? Number.NaN)),
  );
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

/** Each site page beside its floor (bench/baseline/site-floor): what the site's own code costs. */
export function siteCpuBreakdown(rows: readonly MeasuredRow[]): SiteCpu[] {
  return ["todos", "sign-in"].flatMap((page) => {
    const [siteId, floorId] = [`site.${page}`, `site-floor.${page}`];
    const [site, floor] = [siteId, floorId].map((id) => rows.find((row) => row.id === id));
    const own = cpuAboveFloor(rows, siteId, floorId);
    if (!site || !floor || own === undefined) return [];
    return [
      {
        page: `/${page}`,
        totalMicros: site.serverCpuMicrosPerRequest,
        floorMicros: floor.serverCpuMicrosPerRequest,
        ownMicros: own,
      },
    ];
  });
}
