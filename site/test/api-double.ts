/**
 * An HTTP server the site reaches as its `API_URL`, in front of the real API:
 * it records the headers of every call and passes it on to the API Worker, or,
 * while `hang` is set, accepts the call and never answers (an API that stopped).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export type ApiDouble = {
  url: string;
  /** The headers of every call, in order. */
  calls: Headers[];
  /** Where calls go while not hanging (set it once the stack has started). */
  target: ((pathname: string, init: RequestInit) => Promise<Response>) | undefined;
  hang: boolean;
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
    if (double.hang || !double.target) return;
    const body = await readBody(request);
    const answer = await double.target(request.url ?? "/", {
      method: request.method ?? "GET",
      headers,
      body: body.length > 0 ? new Uint8Array(body) : undefined,
    });
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
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return double;
}
