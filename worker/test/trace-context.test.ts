import { describe, expect, it, vi } from "vitest";
import { call, newUser, onEveryShard, withLogLines } from "./helpers.ts";

const TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
const PARENT_ID = "00f067aa0ba902b7";
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** Calls `/health` with `headers` and returns the answer and its one request log line. */
async function logged(headers: Record<string, string>, path = "/health") {
  const lines: string[] = [];
  const spy = vi.spyOn(console, "log").mockImplementation((line: string) => {
    lines.push(line);
  });
  let response: Response;
  try {
    response = await call(path, { headers });
  } finally {
    spy.mockRestore();
  }
  expect(lines).toHaveLength(1);
  const line = JSON.parse(lines[0] ?? "") as { requestId: string; traceId: string };
  const answered = TRACEPARENT.exec(response.headers.get("traceparent") ?? "");
  expect(answered, "the answer carries a well-formed traceparent").not.toBeNull();
  return {
    response,
    raw: lines[0] ?? "",
    line,
    answeredTraceId: answered?.[1],
    answeredSpanId: answered?.[2],
    answeredFlags: answered?.[3],
  };
}

describe("request id", () => {
  it("keeps a well-formed incoming x-request-id, logs it and answers with it", async () => {
    for (const id of ["a", "view-1234_ABC=", "8c2f0a1b2c3d4e5f-LHR", "x".repeat(64)]) {
      const { response, line } = await logged({ "x-request-id": id });
      expect(response.headers.get("x-request-id")).toBe(id);
      expect(line.requestId).toBe(id);
    }
  });

  it("replaces a malformed or oversized one with a fresh UUID, never echoing it", async () => {
    const bad = [
      "x".repeat(65),
      "has space",
      "semi;colon",
      "new\\nline",
      '"quoted"',
      "ünïcode",
      "a/b",
      "<script>",
    ];
    for (const id of bad) {
      const { response, line, raw } = await logged({ "x-request-id": id });
      const answered = response.headers.get("x-request-id") ?? "";
      expect(answered).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(line.requestId).toBe(answered);
      expect(raw).not.toContain(id);
    }
  });

  it("generates one per request when none is sent", async () => {
    const first = await logged({});
    const second = await logged({});
    expect(first.response.headers.get("x-request-id")).toBe(first.line.requestId);
    expect(first.line.requestId).not.toBe(second.line.requestId);
  });

  it("is on error answers too (401, 404)", async () => {
    const unauthorized = await logged({ "x-request-id": "no-token" }, "/api/todos");
    expect(unauthorized.response.status).toBe(401);
    expect(unauthorized.response.headers.get("x-request-id")).toBe("no-token");
    const missing = await logged({ "x-request-id": "nowhere" }, "/nowhere");
    expect(missing.response.status).toBe(404);
    expect(missing.response.headers.get("x-request-id")).toBe("nowhere");
  });
});

describe("traceparent", () => {
  it("joins a well-formed incoming trace: logs its trace id and answers with it and a new span", async () => {
    for (const flags of ["01", "00"]) {
      const { line, answeredTraceId, answeredSpanId, answeredFlags } = await logged({
        traceparent: `00-${TRACE_ID}-${PARENT_ID}-${flags}`,
      });
      expect(line.traceId).toBe(TRACE_ID);
      expect(answeredTraceId).toBe(TRACE_ID);
      expect(answeredSpanId).not.toBe(PARENT_ID);
      expect(answeredSpanId).not.toBe("0".repeat(16));
      expect(answeredFlags).toBe(flags);
    }
  });

  it("starts its own trace for a malformed, oversized or all-zero one, never echoing it", async () => {
    const bad = [
      `01-${TRACE_ID}-${PARENT_ID}-01`,
      `ff-${TRACE_ID}-${PARENT_ID}-01`,
      `00-${TRACE_ID.toUpperCase()}-${PARENT_ID}-01`,
      `00-${"0".repeat(32)}-${PARENT_ID}-01`,
      `00-${TRACE_ID}-${"0".repeat(16)}-01`,
      `00-${TRACE_ID}-${PARENT_ID}-01-extra`,
      `00-${TRACE_ID}0-${PARENT_ID}-01`,
      `00-${TRACE_ID}-${PARENT_ID}-1`,
      `00_${TRACE_ID}-${PARENT_ID}-01`,
      `00-${TRACE_ID}-${PARENT_ID}-01${"a".repeat(500)}`,
      "not a traceparent",
    ];
    for (const traceparent of bad) {
      const { line, raw, answeredTraceId, answeredFlags } = await logged({ traceparent });
      expect(line.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(line.traceId, traceparent).not.toBe(TRACE_ID);
      expect(line.traceId).not.toBe("0".repeat(32));
      expect(answeredTraceId).toBe(line.traceId);
      expect(answeredFlags).toBe("01");
      expect(raw).not.toContain(TRACE_ID);
    }
  });

  it("starts a new trace per request when none is sent", async () => {
    const first = await logged({});
    const second = await logged({});
    expect(first.line.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(first.answeredTraceId).toBe(first.line.traceId);
    expect(first.line.traceId).not.toBe(second.line.traceId);
  });

  it("puts the same ids on the request line and the error line of a failing request", async () => {
    const user = await newUser();
    const { result: response, lines } = await withLogLines(() =>
      user.call("/api/todos", {
        headers: { "x-request-id": "failing-view", traceparent: `00-${TRACE_ID}-${PARENT_ID}-01` },
        bindings: onEveryShard(undefined),
      }),
    );
    expect(response.status).toBe(500);
    expect(response.headers.get("x-request-id")).toBe("failing-view");
    expect(response.headers.get("traceparent")).toMatch(new RegExp(`^00-${TRACE_ID}-`));
    const events = lines.map((line) => JSON.parse(line));
    expect(events.map((event) => event.event).sort()).toEqual(["error", "request"]);
    for (const event of events) {
      expect(event).toMatchObject({ requestId: "failing-view", traceId: TRACE_ID });
    }
  });
});
