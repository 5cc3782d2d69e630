import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { VerifiedTokens } from "../src/auth/verified-tokens.ts";
import { call, goodClaims, nowSeconds, signClaims } from "./helpers.ts";

// Accepted tokens are remembered per isolate; these prove that remembering one never
// lets a request through that verification itself would refuse.

const PREVIOUS = "the-previous-secret-0123456789abcdef-0123";
const NEXT = "the-next-secret-0123456789abcdef-0123456789";
const INVALID_TOKEN = 'Bearer realm="todo-api", error="invalid_token"';
const UNAUTHORIZED_BODY = {
  error: { code: "unauthorized", message: "A valid bearer token is required" },
};

const me = (token: string, bindings: Partial<Env> = {}) => call("/api/me", { token, bindings });

async function expectAccepted(response: Response, sub: unknown) {
  expect(response.status).toBe(200);
  expect(response.headers.get("www-authenticate")).toBeNull();
  expect(await response.json()).toEqual({ userId: sub });
}

async function expectRefused(response: Response) {
  expect(response.status).toBe(401);
  expect(response.headers.get("www-authenticate")).toBe(INVALID_TOKEN);
  expect(await response.json()).toEqual(UNAUTHORIZED_BODY);
}

/** The same token with one character of the given part (0 header, 1 payload, 2 signature) changed. */
function tamper(token: string, part: 0 | 1 | 2): string {
  const parts = token.split(".");
  const segment = parts[part] ?? "";
  const index = part === 2 ? segment.length - 2 : 10;
  const swapped = segment[index] === "A" ? "B" : "A";
  parts[part] = segment.slice(0, index) + swapped + segment.slice(index + 1);
  return parts.join(".");
}

describe("a token accepted before", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("returns its own sub again, and another token its own", async () => {
    const first = goodClaims();
    const second = goodClaims();
    const firstToken = await signClaims(first);
    const secondToken = await signClaims(second);
    for (let round = 0; round < 2; round++) {
      await expectAccepted(await me(firstToken), first.sub);
      await expectAccepted(await me(secondToken), second.sub);
    }
  });

  it("is refused once it has expired", async () => {
    const claims = goodClaims();
    const token = await signClaims(claims);
    await expectAccepted(await me(token), claims.sub);
    vi.setSystemTime((Number(claims.exp) + 1) * 1000);
    await expectRefused(await me(token));
  });

  it("is refused at exactly its exp", async () => {
    const claims = goodClaims();
    const token = await signClaims(claims);
    await expectAccepted(await me(token), claims.sub);
    vi.setSystemTime(Number(claims.exp) * 1000);
    await expectRefused(await me(token));
  });

  it("is refused before its nbf when the clock is set back", async () => {
    const nbf = nowSeconds();
    const claims = goodClaims({ nbf });
    const token = await signClaims(claims);
    await expectAccepted(await me(token), claims.sub);
    vi.setSystemTime((nbf - 1) * 1000);
    await expectRefused(await me(token));
  });

  it("is refused with any character of its header, payload or signature changed", async () => {
    const claims = goodClaims();
    const token = await signClaims(claims);
    await expectAccepted(await me(token), claims.sub);
    for (const part of [0, 1, 2] as const) {
      await expectRefused(await me(tamper(token, part)));
    }
    await expectRefused(await me(`${token}A`));
    await expectRefused(await me(token.slice(0, -1)));
  });

  it("is refused once its secret is rotated out (JWT_SECRET_PREVIOUS removed)", async () => {
    const claims = goodClaims();
    const token = await signClaims(claims, PREVIOUS);
    await expectAccepted(await me(token, { JWT_SECRET_PREVIOUS: PREVIOUS }), claims.sub);
    await expectRefused(await me(token, { JWT_SECRET_PREVIOUS: "" }));
  });

  it("is refused once JWT_SECRET is replaced by a new secret", async () => {
    const claims = goodClaims();
    const token = await signClaims(claims);
    await expectAccepted(await me(token), claims.sub);
    await expectRefused(await me(token, { JWT_SECRET: NEXT }));
  });
});

describe("a token refused before", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("is accepted once its nbf has come: a refusal is never remembered", async () => {
    const nbf = nowSeconds() + 30;
    const claims = goodClaims({ nbf });
    const token = await signClaims(claims);
    await expectRefused(await me(token));
    vi.setSystemTime(nbf * 1000);
    await expectAccepted(await me(token), claims.sub);
  });
});

describe("VerifiedTokens", () => {
  const claims = (sub: string, now: number) => ({ sub, exp: now + 1800, validFrom: now - 60 });

  it("keeps at most its capacity, dropping the oldest first", () => {
    const now = nowSeconds();
    const tokens = new VerifiedTokens(2);
    tokens.remember("token-a", claims("a", now), now);
    tokens.remember("token-b", claims("b", now), now);
    tokens.remember("token-c", claims("c", now), now);
    expect(tokens.size).toBe(2);
    expect(tokens.claims("token-a", now)?.sub).toBeUndefined();
    expect(tokens.claims("token-b", now)?.sub).toBe("b");
    expect(tokens.claims("token-c", now)?.sub).toBe("c");
  });

  it("never remembers a token outside its time window", () => {
    const now = nowSeconds();
    const tokens = new VerifiedTokens();
    tokens.remember("early", { sub: "a", exp: now + 1800, validFrom: now + 1 }, now);
    tokens.remember("expired", { sub: "b", exp: now, validFrom: now - 60 }, now);
    expect(tokens.size).toBe(0);
  });

  it("matches the whole token, never a prefix of it", () => {
    const now = nowSeconds();
    const tokens = new VerifiedTokens();
    tokens.remember("header.payload.signature", claims("a", now), now);
    expect(tokens.claims("header.payload.signatur", now)?.sub).toBeUndefined();
    expect(tokens.claims("header.payload.signatureX", now)?.sub).toBeUndefined();
    expect(tokens.claims("header.payload.signature", now)?.sub).toBe("a");
  });
});
