/**
 * An HTTP server the site reaches as its `API_URL`, in front of the real API:
 * it records the headers of every call and passes it on to the API Worker.
 * While `hang` is set it still passes the call on but never answers: an API that
 * stopped after doing the work, the case where a resend must not do it twice.
 * While `busy` is set it answers every call as the API does when D1 stays
 * unavailable: 503 `unavailable` with `Retry-After`.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { beforeAll } from "vitest";
import { type Stack, startStack } from "./stack.ts";

export type ApiDouble = {
  url: string;
  /** The headers of every call, in order. */
  calls: Headers[];
  /** Where calls go while not hanging (set it once the stack has started). */
  target: ((pathname: string, init: RequestInit) => Promise<Response>) | undefined;
  hang: boolean;
  busy: boolean;
  close: () => Promise<void>;
};

async function readBody(request: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startApiDouble(): Promise<ApiDouble> {
  const server = http.createServer(async (request, response) => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers)) {
      if (typeof value === "string" && name !== "host" && name !== "connection") {
        headers.set(name, value);
      }
    }
    double.calls.push(headers);
    const hang = double.hang;
    if (double.busy) {
      const error = { code: "unavailable", message: "The database is unavailable; try again" };
      response.writeHead(503, { "content-type": "application/json", "retry-after": "1" });
      response.end(JSON.stringify({ error }));
      return;
    }
    if (!double.target) return;
    const body = await readBody(request);
    const answer = await double.target(request.url ?? "/", {
      method: request.method ?? "GET",
      headers,
      body: body.length > 0 ? new Uint8Array(body) : undefined,
    });
    if (hang) return;
    const answerHeaders = new Headers(answer.headers);
    answerHeaders.delete("content-encoding");
    answerHeaders.delete("content-length");
    response.writeHead(answer.status, Object.fromEntries(answerHeaders));
    response.end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const double: ApiDouble = {
    url: `http://127.0.0.1:${port}`,
    calls: [],
    target: undefined,
    hang: false,
    busy: false,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return double;
}

/** A test stack whose site reaches the API through a double; both set once started. */
export type StackBehindApiDouble = { api: ApiDouble; stack: Stack };

/** The running doubles and their stacks, by the other site vars (shared like the stacks). */
const shared = new Map<string, Promise<StackBehindApiDouble>>();

async function startBehindDouble(siteVars: Record<string, string>): Promise<StackBehindApiDouble> {
  const api = await startApiDouble();
  const stack = await startStack({ siteVars: { ...siteVars, API_URL: api.url } });
  api.target = stack.api;
  return { api, stack };
}

/**
 * A test stack whose site reaches the API through a double, which forwards to
 * the stack's real API until a test tells it otherwise. Call it at a file's top level:
 * it is ready before the file's tests. Files asking with the same `siteVars` share
 * the double and its stack (see stack.ts): each file starts with the double
 * forwarding, and a test reads only the calls made since it began.
 */
export function useStackBehindApiDouble(
  siteVars: Record<string, string> = {},
): StackBehindApiDouble {
  const started = {} as StackBehindApiDouble;
  beforeAll(async () => {
    const key = JSON.stringify(Object.entries(siteVars).sort(([a], [b]) => a.localeCompare(b)));
    let running = shared.get(key);
    if (!running) {
      running = startBehindDouble(siteVars);
      running.catch(() => shared.delete(key));
      shared.set(key, running);
    }
    Object.assign(started, await running);
    started.api.hang = false;
    started.api.busy = false;
  });
  return started;
}
