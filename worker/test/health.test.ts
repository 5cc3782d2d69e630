import { describe, expect, it } from "vitest";
import { call } from "./helpers.ts";

describe("GET /health", () => {
  it("returns 200 ok without a token when the secret is configured", async () => {
    const response = await call("/health");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
  });

  it("returns 503 misconfigured when JWT_SECRET is missing", async () => {
    const response = await call("/health", { bindings: { JWT_SECRET: undefined } });
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: "misconfigured" });
  });

  it("returns 503 misconfigured when JWT_SECRET is shorter than 32 bytes", async () => {
    const response = await call("/health", { bindings: { JWT_SECRET: "x".repeat(31) } });
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: "misconfigured" });
  });
});
