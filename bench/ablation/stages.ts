/** The request header that names the stages the ablation Worker leaves out, comma-separated. */
export const SKIP_HEADER = "x-bench-skip";

/** What the ablation Worker can leave out of a request (see entry.ts). */
export const STAGES = [
  "log",
  "timing",
  "request-id",
  "route-guard",
  "validation",
  "mapping",
  "serialisation",
] as const;
export type Stage = (typeof STAGES)[number];
