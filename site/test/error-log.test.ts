import { describe, expect, it } from "vitest";
import { ApiUnavailableError } from "../src/server/api/transport.server.ts";
import { errorLogLine } from "../src/server/error-log.server.ts";

const trace = { requestId: "req-1", traceId: "4bf92f3577b34da6a3ce929d0e0e4736", flags: "01" };
const EMAIL = "alice@example.com";
const LINK = "https://todo.example/reset-password?token=abcdefghijklmnop";

describe("the site's error log line", () => {
  it("carries the ids, the error's class and code, never its message", () => {
    class APIError extends Error {
      override name = "APIError";
      status = "BAD_REQUEST";
      body = { code: "USER_ALREADY_EXISTS", message: `${EMAIL} exists` };
    }
    const line = errorLogLine("error", new APIError(`User ${EMAIL} exists, see ${LINK}`), trace);
    expect(JSON.parse(line)).toEqual({
      event: "error",
      requestId: "req-1",
      traceId: trace.traceId,
      error: "APIError",
      code: "USER_ALREADY_EXISTS",
    });
  });

  it("names a D1 error by its codes and an API fault by its kind", () => {
    const d1 = new Error("wrapped", {
      cause: new Error(
        `D1_ERROR: UNIQUE constraint failed: user.email ('${EMAIL}'): SQLITE_CONSTRAINT`,
      ),
    });
    expect(JSON.parse(errorLogLine("error", d1, trace))).toEqual({
      event: "error",
      requestId: "req-1",
      traceId: trace.traceId,
      error: "Error",
      cause: "Error",
      code: "D1_ERROR SQLITE_CONSTRAINT",
    });
    const fault = new ApiUnavailableError("The todo API did not answer in time", "timeout");
    expect(JSON.parse(errorLogLine("error", fault, undefined))).toEqual({
      event: "error",
      error: "ApiUnavailableError",
      code: "timeout",
    });
  });

  it("drops a code that is text rather than an identifier", () => {
    const error = Object.assign(new Error("x"), { code: `mail to ${EMAIL} failed` });
    const line = errorLogLine("error", error, trace);
    expect(line).not.toContain(EMAIL);
    expect(JSON.parse(line)).not.toHaveProperty("code");
  });
});
