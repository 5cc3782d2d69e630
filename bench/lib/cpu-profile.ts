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
