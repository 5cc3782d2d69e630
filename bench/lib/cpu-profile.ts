import path from "node:path";
import type { Profile } from "./inspector.ts";

export type CallFrame = Profile["nodes"][number]["callFrame"];

/** What one sample stands for: the sampling interval, spread over the requests profiled. */
export type Scale = { intervalMicros: number; requests: number };

/** The script a frame runs in: its file name, or `(native)` for V8 and the runtime. */
export const scriptOf = (frame: CallFrame) => (frame.url ? path.basename(frame.url) : "(native)");

/** Self time per request by `keyOf(frame)`, idle excluded, biggest first. */
export function selfTime(
  profile: Profile,
  scale: Scale,
  keyOf: (frame: CallFrame) => string,
): [string, number][] {
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const micros = new Map<string, number>();
  for (const id of profile.samples) {
    const frame = frames.get(id);
    if (!frame || frame.functionName === "(idle)") continue;
    const key = keyOf(frame);
    micros.set(key, (micros.get(key) ?? 0) + scale.intervalMicros / scale.requests);
  }
  return [...micros].sort((a, b) => b[1] - a[1]);
}

/** Busy (not idle) time per request. */
export const busyTime = (profile: Profile, scale: Scale): number =>
  selfTime(profile, scale, () => "busy")[0]?.[1] ?? 0;

/** Time per request in samples with a frame that `isTarget` anywhere on their stack. */
export function timeUnder(
  profile: Profile,
  scale: Scale,
  isTarget: (frame: CallFrame) => boolean,
): number {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  let samples = 0;
  for (const id of profile.samples) {
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = nodes.get(at)?.callFrame;
      if (frame && isTarget(frame)) {
        samples++;
        break;
      }
    }
  }
  return (samples * scale.intervalMicros) / scale.requests;
}
