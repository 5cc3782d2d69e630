import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { Browser } from "./browser.ts";
import { waitForMails } from "./mailbox.ts";
import { SITE, type Stack, startStack } from "./stack.ts";

const PASSWORD = "plum-orbit-lantern-47";
const TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

type LogLine = {
  event: string;
  requestId?: string;
  traceId?: string;
  route?: string;
  status?: number;
};

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

const allLogs = () =>
  stack.harness
    .getLogs()
    .map((log) => log.message)
    .join("\n");

/** The JSON lines both Workers wrote, once `count` lines match `matching` (logs arrive a bit after the answer). */
async function jsonLines(matching: (line: LogLine) => boolean, count: number): Promise<LogLine[]> {
  return vi.waitFor(
    () => {
      const lines = stack.harness
        .getLogs()
        .flatMap((log) => log.message.split("\n"))
        .filter((text) => text.startsWith("{"))
        .map((text) => JSON.parse(text) as LogLine)
        .filter(matching);
      if (lines.length < count) throw new Error(`${lines.length} of ${count} lines so far`);
      return lines;
    },
    { timeout: 10_000, interval: 50 },
  );
}

async function signedIn() {
  const browser = new Browser(stack, SITE);
  const credentials = await browser.signUp(`trace-${crypto.randomUUID()}@example.com`, PASSWORD);
  return { browser, ...credentials };
}

describe("one page view", () => {
  it("has one request id and one trace id in the site's and the API's log lines", async () => {
    const { browser } = await signedIn();
    stack.harness.clearLogs();
    const response = await browser.get("/todos");
    expect(response.status).toBe(200);
    const requestId = response.headers.get("x-request-id") ?? "";
    expect(requestId).toMatch(UUID);

    const lines = await jsonLines((line) => line.requestId === requestId, 2);
    const site = lines.find((line) => line.route === "/todos");
    const api = lines.find((line) => line.route === "/api/todos");
    expect(site).toMatchObject({ event: "request", status: 200 });
    expect(api).toMatchObject({ event: "request", status: 200 });
    expect(site?.traceId).toMatch(/^[0-9a-f]{32}$/);
    // The API logs the site's trace id only if it took the site's traceparent as well formed.
    expect(api?.traceId).toBe(site?.traceId);
  });

  it("joins a well-formed incoming traceparent, and both Workers log its trace id", async () => {
    const { browser } = await signedIn();
    stack.harness.clearLogs();
    const response = await browser.request("/todos", {
      headers: { traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01` },
    });
    const requestId = response.headers.get("x-request-id");
    const lines = await jsonLines((line) => line.traceId === TRACE_ID, 2);
    expect(lines.map((line) => line.route).sort()).toEqual(["/api/todos", "/todos"]);
    for (const line of lines) expect(line.requestId).toBe(requestId);
  });

  it("gets new ids for a malformed traceparent and ignores a browser's own request id", async () => {
    const { browser } = await signedIn();
    stack.harness.clearLogs();
    const response = await browser.request("/todos", {
      headers: {
        traceparent: `00-${"0".repeat(32)}-00f067aa0ba902b7-01`,
        "x-request-id": "chosen-by-the-browser",
      },
    });
    const requestId = response.headers.get("x-request-id") ?? "";
    expect(requestId).toMatch(UUID);
    const lines = await jsonLines((line) => line.requestId === requestId, 2);
    const [site, api] = lines;
    expect(site?.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(site?.traceId).not.toBe("0".repeat(32));
    expect(api?.traceId).toBe(site?.traceId);
    expect(allLogs()).not.toContain("chosen-by-the-browser");
  });

  it("carries the ids on the site's writes to the API too", async () => {
    const { browser } = await signedIn();
    stack.harness.clearLogs();
    const response = await browser.post("/todos", { intent: "add", title: "Traced" });
    const requestId = response.headers.get("x-request-id");
    const lines = await jsonLines((line) => line.requestId === requestId, 2);
    const api = lines.find((line) => line.route === "/api/todos");
    expect(api).toMatchObject({ event: "request", status: 201 });
    expect(new Set(lines.map((line) => line.traceId)).size).toBe(1);
  });
});

describe("logs of both Workers", () => {
  it("never hold tokens, cookies, emails, passwords or reset links", async () => {
    const { browser, email } = await signedIn();
    await browser.get("/todos");
    const token = browser.cookies.get("todo_token") ?? "";
    const session = browser.cookies.get("better-auth.session_token") ?? "";
    expect(token).not.toBe("");
    expect(session).not.toBe("");

    // A reset link of the person's, to see it is never logged either.
    await new Browser(stack, SITE).post("/forgot-password", { email });
    const [mail] = await waitForMails(stack, email);
    const resetToken = new URL(mail?.link ?? SITE).searchParams.get("token") ?? "";
    expect(resetToken).not.toBe("");

    stack.harness.clearLogs();
    const leaky = `?email=${encodeURIComponent(email)}&password=${PASSWORD}&token=${resetToken}`;
    const secretHeaders = {
      authorization: `Bearer ${token}`,
      "x-forwarded-email": email,
      "x-password": PASSWORD,
      referer: `${SITE}/reset-password?token=${resetToken}`,
    };
    await browser.request(`/todos${leaky}`, { headers: secretHeaders });
    await browser.request(`/account${leaky}`, { headers: secretHeaders });
    await browser.post("/todos", { intent: "add", title: `mail ${email} pw ${PASSWORD}` });
    await new Browser(stack, SITE).request(`/reset-password?token=${resetToken}`);
    await new Browser(stack, SITE).post("/sign-in", { email, password: PASSWORD });
    await new Browser(stack, SITE).post("/sign-in", { email, password: `${PASSWORD}-wrong` });
    await new Browser(stack, SITE).post("/forgot-password", { email });
    await new Browser(stack, SITE).request(`/nowhere${leaky}`, { headers: secretHeaders });
    // Straight at the API: a token, cookies and the email in the query and the body.
    const apiHeaders = {
      ...secretHeaders,
      cookie: `todo_token=${token}; better-auth.session_token=${session}`,
      "content-type": "application/json",
    };
    await stack.api(`/api/todos${leaky}`, { headers: apiHeaders });
    await stack.api("/api/todos", {
      method: "POST",
      headers: apiHeaders,
      body: JSON.stringify({ title: email, description: PASSWORD }),
    });
    await stack.api(`/api/todos${leaky}`, { method: "POST", headers: apiHeaders, body: "{" });
    await stack.api("/api/me", { headers: { ...apiHeaders, authorization: `Bearer ${token}x` } });

    // Every request above wrote its line (the capture works), and none holds a secret.
    const lines = await jsonLines((line) => line.event === "request", 13);
    expect(lines.length).toBeGreaterThanOrEqual(13);
    const logs = allLogs();
    const secrets = {
      token,
      session,
      tokenSignature: token.split(".")[2] ?? "",
      sessionId: session.split(".")[0] ?? "",
      email,
      emailUser: email.split("@")[0] ?? "",
      encodedEmail: encodeURIComponent(email),
      password: PASSWORD,
      resetToken,
    };
    for (const [name, secret] of Object.entries(secrets)) {
      expect(secret.length, name).toBeGreaterThan(8);
      expect(logs, name).not.toContain(secret);
    }
    expect(logs).not.toContain("token=");
    expect(logs).not.toContain("reset-password?");
  });
});
