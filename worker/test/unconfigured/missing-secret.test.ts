import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { mintToken } from "../../src/auth/token.ts";

// This project's Worker has no JWT_SECRET binding at all (not an empty one), in an
// isolate of its own: the first request it ever sees must already fail closed.

const ANY_SECRET = "some-secret-the-api-was-never-given-0123456789";
const MISCONFIGURED_BODY = {
  error: { code: "misconfigured", message: "The API is not configured to accept requests" },
};

const request = (path: string, init: RequestInit = {}) =>
  exports.default.fetch(new Request(`http://api.test${path}`, init));

describe("an API Worker deployed without JWT_SECRET", () => {
  // The first request loads the Worker's modules, which can take seconds on a busy
  // machine; /health reads the secret without building the token verifier.
  beforeAll(async () => {
    await (await request("/health")).body?.cancel();
  }, 60_000);

  it("answers 500 misconfigured to a request with a token, never internal", async () => {
    const { token } = await mintToken("user-1", ANY_SECRET);
    const response = await request("/api/me", { headers: { Authorization: `Bearer ${token}` } });
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual(MISCONFIGURED_BODY);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(response.headers.get("www-authenticate")).toBeNull();
  });

  it("answers 500 misconfigured to a request without a token", async () => {
    const response = await request("/api/todos");
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual(MISCONFIGURED_BODY);
    expect(response.headers.get("www-authenticate")).toBeNull();
  });

  it("answers 503 misconfigured on /health", async () => {
    const response = await request("/health");
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: "misconfigured" });
    expect(response.headers.get("cache-control")).toBe("no-store");
  });
});
