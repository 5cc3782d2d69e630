import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readConfig } from "../src/server/config.server.ts";
import { isLoopbackHost } from "../src/server/loopback.server.ts";
import { Browser } from "./browser.ts";
import { BETTER_AUTH_SECRET, JWT_SECRET, SITE, type Stack, startStack } from "./stack.ts";

const env = (vars: Record<string, unknown>) =>
  ({
    JWT_SECRET,
    BETTER_AUTH_SECRET,
    API_URL: "",
    AUTH_RATE_LIMIT_MAX: "20",
    AUTH_RATE_LIMIT_WINDOW_SECONDS: "60",
    ...vars,
  }) as unknown as Env;
const API = { fetch: () => Promise.resolve(new Response()) };
const deployed = (url = "https://todo.example.com/") => ({ dev: false, url: new URL(url) });

describe("loopback hosts", () => {
  it("are localhost, 127.0.0.0/8 and [::1], nothing else", () => {
    for (const host of ["localhost", "127.0.0.1", "127.8.9.10", "[::1]"]) {
      expect(isLoopbackHost(new URL(`http://${host}:4321/`).hostname), host).toBe(true);
    }
    for (const host of ["example.com", "10.0.0.1", "128.0.0.1", "[::2]", "localhost.example.com"]) {
      expect(isLoopbackHost(new URL(`http://${host}/`).hostname), host).toBe(false);
    }
  });
});

describe("the settings outside astro dev", () => {
  it("take an https BETTER_AUTH_URL with the API binding", () => {
    const config = readConfig(
      env({ BETTER_AUTH_URL: "https://todo.example.com", API }),
      deployed(),
    );
    expect(config).toMatchObject({
      origin: "https://todo.example.com",
      secure: true,
      apiUrl: undefined,
      // Unset, the per-account limit takes its defaults.
      accountFailures: { max: 10, windowSeconds: 900 },
    });
  });

  it("refuse an http BETTER_AUTH_URL, unless it and the request are both on loopback", () => {
    const http = (site: string, request: string) => () =>
      readConfig(env({ BETTER_AUTH_URL: site, API }), deployed(request));
    expect(http("http://todo.example.com", "http://todo.example.com/")).toThrow(/https/);
    expect(http("http://127.0.0.1:4321", "https://todo-site.example.workers.dev/")).toThrow(
      /https/,
    );
    expect(http("http://127.0.0.1:4321", "http://127.0.0.1:4321/")()).toMatchObject({
      secure: false,
    });
    expect(http("http://localhost:4321", "http://[::1]:4321/")()).toMatchObject({ secure: false });
  });

  it("take an API_URL only over https or to a loopback host", () => {
    const withApiUrl = (API_URL: string) => () =>
      readConfig(env({ BETTER_AUTH_URL: "https://todo.example.com", API_URL }), deployed());
    expect(withApiUrl("https://api.example.com")()).toMatchObject({
      apiUrl: "https://api.example.com",
    });
    expect(withApiUrl("http://127.0.0.1:8787")()).toMatchObject({
      apiUrl: "http://127.0.0.1:8787",
    });
    expect(withApiUrl("http://[::1]:8787")()).toMatchObject({ apiUrl: "http://[::1]:8787" });
    expect(withApiUrl("http://example.com")).toThrow(/API_URL/);
    expect(withApiUrl("http://10.0.0.2:8787")).toThrow(/API_URL/);
  });

  it("refuse to run with neither API_URL nor the API binding", () => {
    expect(() =>
      readConfig(env({ BETTER_AUTH_URL: "https://todo.example.com" }), deployed()),
    ).toThrow(/neither API_URL nor the API binding/);
  });

  it("give every API call 5 s; a test may shorten that with API_DEADLINE_MS, never lengthen it", () => {
    const withDeadline = (API_DEADLINE_MS?: string) => () =>
      readConfig(
        env({ BETTER_AUTH_URL: "https://todo.example.com", API, API_DEADLINE_MS }),
        deployed(),
      );
    expect(withDeadline()().apiDeadlineMs).toBe(5000);
    expect(withDeadline("")().apiDeadlineMs).toBe(5000);
    expect(withDeadline("300")().apiDeadlineMs).toBe(300);
    for (const refused of ["5001", "60000", "99", "0", "-1", "1.5", "soon"]) {
      expect(withDeadline(refused), refused).toThrow(/API_DEADLINE_MS/);
    }
  });

  it("under astro dev allow http and fall back to the local API", () => {
    const dev = { dev: true, url: new URL("http://todo.test/") };
    expect(readConfig(env({ BETTER_AUTH_URL: "http://todo.test" }), dev)).toMatchObject({
      secure: false,
      apiUrl: "http://127.0.0.1:8787",
    });
  });
});

/** A stand-in API on this machine that only counts what reaches it. */
async function countingServer() {
  let requests = 0;
  const server = http.createServer((_request, response) => {
    requests++;
    response.writeHead(500).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Every page and form answers the 500 "not set up correctly" page. */
async function expectRefusedEverywhere(stack: Stack, origin: string) {
  const browser = new Browser(stack, origin);
  const answers = [
    await browser.get("/sign-in"),
    await browser.get("/todos"),
    await browser.get("/api/auth/get-session"),
    await browser.post("/sign-up", {
      name: "A",
      email: "a@example.com",
      password: "correct horse battery",
    }),
    await browser.post("/todos", { intent: "add", title: "Never sent" }),
  ];
  for (const answer of answers) {
    expect(answer.status).toBe(500);
    expect(answer.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await answer.text()).toContain("The site is not set up correctly");
  }
}

describe("the built site, misconfigured", () => {
  let api: Awaited<ReturnType<typeof countingServer>>;
  beforeAll(async () => {
    api = await countingServer();
  });
  afterAll(() => api?.close());

  it("with an http BETTER_AUTH_URL that is not loopback answers 500 and sends nothing", async () => {
    const origin = "http://todo.example.com";
    const stack = await startStack({ siteVars: { BETTER_AUTH_URL: origin, API_URL: api.url } });
    try {
      await expectRefusedEverywhere(stack, origin);
      expect(api.requests()).toBe(0);
    } finally {
      await stack.close();
    }
  });

  it("with API_URL http://example.com answers 500", async () => {
    const stack = await startStack({ siteVars: { API_URL: "http://example.com" } });
    try {
      await expectRefusedEverywhere(stack, SITE);
    } finally {
      await stack.close();
    }
  });

  it("with neither API_URL nor the API binding answers 500", async () => {
    const stack = await startStack({ withoutApiBinding: true });
    try {
      await expectRefusedEverywhere(stack, SITE);
    } finally {
      await stack.close();
    }
  });
});
