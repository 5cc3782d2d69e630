import type { LoadTarget } from "./load-target.ts";

export type Group = "API" | "bare Worker" | "FastAPI peer" | "site";

/** A measured target and what its figures are compared with in the same run. */
export type PlannedTarget = {
  id: string;
  group: Group;
  label: string;
  target: LoadTarget;
  /** The target whose req/s this one is divided by. */
  baselineId: string;
  /** The same request on the FastAPI peer, for API targets. */
  peerId?: string;
  /** The process that serves it, whose CPU time is charged to it. */
  serverPid: number | undefined;
};

export const NEW_TODO = JSON.stringify({
  title: "Benchmark todo",
  description: "Written by npm run bench",
});

/** The same four requests against a todo API (ours or the peer), as `prefix`-named targets. */
export function apiTargets(options: {
  group: Group;
  prefix: string;
  url: string;
  readerToken: string;
  writerToken: string;
  baselineId: string;
  peerPrefix?: string;
  serverPid: number | undefined;
}): PlannedTarget[] {
  const { group, prefix, url, baselineId, peerPrefix, serverPid } = options;
  const reader = { Authorization: `Bearer ${options.readerToken}` };
  const writer = {
    Authorization: `Bearer ${options.writerToken}`,
    "Content-Type": "application/json",
  };
  const planned = (name: string, label: string, target: LoadTarget): PlannedTarget => ({
    id: `${prefix}.${name}`,
    group,
    label,
    target,
    baselineId,
    serverPid,
    ...(peerPrefix ? { peerId: `${peerPrefix}.${name}` } : {}),
  });
  return [
    planned("list", "GET /api/todos (50 items, auth)", {
      url: `${url}/api/todos`,
      method: "GET",
      headers: reader,
      expectStatus: 200,
    }),
    planned("create", "POST /api/todos (auth)", {
      url: `${url}/api/todos`,
      method: "POST",
      headers: writer,
      body: NEW_TODO,
      expectStatus: 201,
    }),
    planned("me", "GET /api/me (auth)", {
      url: `${url}/api/me`,
      method: "GET",
      headers: reader,
      expectStatus: 200,
    }),
    planned("health", "GET /health (no auth)", {
      url: `${url}/health`,
      method: "GET",
      expectStatus: 200,
    }),
  ];
}
