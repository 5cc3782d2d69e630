import { describe, expect, it } from "vitest";
import { busyTime, selfTime } from "../../bench/lib/cpu-profile.ts";
import type { Profile } from "../../bench/lib/inspector.ts";

const frame = (functionName: string, url = "index.js") => ({
  functionName,
  url,
  lineNumber: 0,
  columnNumber: 0,
});

// root → handler → logEvent → console.log (native); root → handler → render; root → (idle)
const profile: Profile = {
  nodes: [
    { id: 1, callFrame: frame("(root)", ""), children: [2, 6] },
    { id: 2, callFrame: frame("handler"), children: [3, 5] },
    { id: 3, callFrame: frame("logEvent"), children: [4] },
    { id: 4, callFrame: frame("log", "") },
    { id: 5, callFrame: frame("render") },
    { id: 6, callFrame: frame("(idle)", "") },
  ],
  samples: [4, 4, 5, 5, 5, 2, 6, 6, 6, 6],
};
const scale = { intervalMicros: 50, requests: 2 };

describe("reading a V8 CPU profile", () => {
  it("charges each sample to its innermost frame, per request, idle left out", () => {
    expect(selfTime(profile, scale, (f) => f.functionName)).toEqual([
      ["render", 75],
      ["log", 50],
      ["handler", 25],
    ]);
    expect(busyTime(profile, scale)).toBe(150);
  });
});
