import { sign } from "hono/jwt";
import { describe, expect, it } from "vitest";
import {
  API_OPERATIONS,
  call,
  goodClaims,
  nowSeconds,
  rawToken,
  SECRET,
  signClaims,
} from "./helpers.ts";

const CHALLENGE = 'Bearer realm="todo-api"';
const INVALID_TOKEN = 'Bearer realm="todo-api", error="invalid_token"';
const UNAUTHORIZED_BODY = {
  error: { code: "unauthorized", message: "A valid bearer token is required" },
};

async function expectRefused(response: Response, challenge = INVALID_TOKEN) {
  expect(response.status).toBe(401);
  expect(response.headers.get("www-authenticate")).toBe(challenge);
  expect(await response.json()).toEqual(UNAUTHORIZED_BODY);
}

const me = (token: string) => call("/api/me", { token });

describe("a valid token", () => {
  it("is accepted, and /api/me returns its sub", async () => {
    const claims = goodClaims();
    const response = await me(await signClaims(claims));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ userId: claims.sub });
  });

  it("is accepted with the scheme in any case", async () => {
    const claims = goodClaims();
    const token = await signClaims(claims);
    const response = await call("/api/me", { headers: { Authorization: `bEaReR ${token}` } });
    expect(response.status).toBe(200);
  });

  it("is accepted with aud as an array that holds todo-api", async () => {
    const response = await me(await signClaims(goodClaims({ aud: ["other", "todo-api"] })));
    expect(response.status).toBe(200);
  });

  it("is accepted when issued up to 60 s in the future (clock skew)", async () => {
    const iat = nowSeconds() + 50;
    const response = await me(await signClaims(goodClaims({ iat, exp: iat + 1800 })));
    expect(response.status).toBe(200);
  });

  it("is accepted with a lifetime of exactly 1800 s", async () => {
    const iat = nowSeconds() - 10;
    const response = await me(await signClaims(goodClaims({ iat, exp: iat + 1800 })));
    expect(response.status).toBe(200);
  });

  it("is accepted with an nbf in the past", async () => {
    const response = await me(await signClaims(goodClaims({ nbf: nowSeconds() - 5 })));
    expect(response.status).toBe(200);
  });
});

describe("a request without a usable bearer token", () => {
  it("returns 401 with the bare challenge when there is no Authorization header", async () => {
    await expectRefused(await call("/api/me"), CHALLENGE);
  });

  it("returns 401 for a Basic scheme", async () => {
    const response = await call("/api/me", { headers: { Authorization: "Basic dXNlcjpwYXNz" } });
    await expectRefused(response, CHALLENGE);
  });

  it("returns 401 for a malformed Authorization header", async () => {
    for (const header of ["Bearer", "Bearer ", "Bearertoken", "Bearer a b"]) {
      await expectRefused(await call("/api/me", { headers: { Authorization: header } }), CHALLENGE);
    }
  });

  it("returns 401 when the token is only in the query string", async () => {
    const token = await signClaims(goodClaims());
    await expectRefused(await call(`/api/me?access_token=${token}`), CHALLENGE);
    await expectRefused(await call(`/api/me?token=${token}`), CHALLENGE);
  });

  it("returns 401 when the token is only in a cookie", async () => {
    const token = await signClaims(goodClaims());
    const response = await call("/api/me", {
      headers: { Cookie: `token=${token}; __Host-token=${token}; access_token=${token}` },
    });
    await expectRefused(response, CHALLENGE);
  });

  it.each(API_OPERATIONS)("returns 401 on $method $path too", async ({ method, path, json }) => {
    await expectRefused(await call(path, { method, json }), CHALLENGE);
  });
});

describe("a presented token that breaks a rule", () => {
  const now = nowSeconds();
  const cases: Array<[string, () => Promise<string>]> = [
    ["is garbage", async () => "not-a-jwt"],
    [
      "has two parts only",
      async () => (await signClaims(goodClaims())).split(".").slice(0, 2).join("."),
    ],
    ["is expired", () => signClaims(goodClaims({ iat: now - 1900, exp: now - 100 }))],
    ["expires right now", () => signClaims(goodClaims({ iat: now - 100, exp: now }))],
    ["has no exp", () => signClaims(goodClaims({ exp: undefined }))],
    ["has no iat", () => signClaims(goodClaims({ iat: undefined }))],
    ["lives 1801 s", () => signClaims(goodClaims({ iat: now, exp: now + 1801 }))],
    [
      "is issued more than 60 s in the future",
      () => signClaims(goodClaims({ iat: now + 120, exp: now + 1000 })),
    ],
    ["has nbf in the future", () => signClaims(goodClaims({ nbf: now + 120 }))],
    ["has a string exp", () => signClaims(goodClaims({ exp: String(now + 1000) as never }))],
    ["has a string iat", () => signClaims(goodClaims({ iat: String(now) as never }))],
    ["has a string nbf", () => signClaims(goodClaims({ nbf: String(now - 10) as never }))],
    ["has the wrong iss", () => signClaims(goodClaims({ iss: "someone-else" }))],
    ["has no iss", () => signClaims(goodClaims({ iss: undefined }))],
    ["has the wrong aud", () => signClaims(goodClaims({ aud: "other-api" }))],
    ["has an aud array without todo-api", () => signClaims(goodClaims({ aud: ["a", "b"] }))],
    ["has no aud", () => signClaims(goodClaims({ aud: undefined }))],
    ["has no sub", () => signClaims(goodClaims({ sub: undefined }))],
    ["has an empty sub", () => signClaims(goodClaims({ sub: "" }))],
    ["has a numeric sub", () => signClaims(goodClaims({ sub: 42 as never }))],
    ["has a sub over 255 characters", () => signClaims(goodClaims({ sub: "u".repeat(256) }))],
    [
      "is signed with the wrong secret",
      () => signClaims(goodClaims(), "another-secret-that-is-long-enough-000000"),
    ],
    ["is signed with HS512", () => sign(goodClaims(), SECRET, "HS512")],
    ["is signed with HS384", () => sign(goodClaims(), SECRET, "HS384")],
    [
      "says alg none with no signature",
      async () => rawToken({ alg: "none", typ: "JWT" }, goodClaims()),
    ],
    [
      "says alg none with the HS256 signature of another token",
      async () => {
        const signature = (await signClaims(goodClaims())).split(".")[2];
        return rawToken({ alg: "none", typ: "JWT" }, goodClaims(), signature);
      },
    ],
    [
      "has an RS256 header",
      async () => {
        const [, payload, signature] = (await signClaims(goodClaims())).split(".");
        return `${rawToken({ alg: "RS256", typ: "JWT" }, {}).split(".")[0]}.${payload}.${signature}`;
      },
    ],
    [
      "has a tampered payload",
      async () => {
        const [header, , signature] = (await signClaims(goodClaims({ sub: "alice" }))).split(".");
        const forged = rawToken({}, goodClaims({ sub: "mallory" })).split(".")[1];
        return `${header}.${forged}.${signature}`;
      },
    ],
    [
      "has a tampered signature",
      async () => {
        const token = await signClaims(goodClaims());
        return `${token.slice(0, -2)}${token.endsWith("AA") ? "BB" : "AA"}`;
      },
    ],
    [
      "has a payload that is not an object",
      async () => {
        const [header, , signature] = (await signClaims(goodClaims())).split(".");
        return `${header}.${btoa("null")}.${signature}`;
      },
    ],
  ];

  it.each(cases)("returns the same 401 when the token %s", async (_reason, makeToken) => {
    await expectRefused(await me(await makeToken()));
  });
});

describe("secret rotation", () => {
  const PREVIOUS = "the-previous-secret-0123456789abcdef-0123";

  it("accepts a token signed with JWT_SECRET_PREVIOUS during a rotation", async () => {
    const claims = goodClaims();
    const response = await call("/api/me", {
      token: await signClaims(claims, PREVIOUS),
      bindings: { JWT_SECRET_PREVIOUS: PREVIOUS },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ userId: claims.sub });
  });

  it("still accepts tokens signed with the current secret during a rotation", async () => {
    const response = await call("/api/me", {
      token: await signClaims(goodClaims()),
      bindings: { JWT_SECRET_PREVIOUS: PREVIOUS },
    });
    expect(response.status).toBe(200);
  });

  it("refuses a token signed with the previous secret once the rotation is over", async () => {
    await expectRefused(await me(await signClaims(goodClaims(), PREVIOUS)));
  });

  it("ignores a previous secret shorter than 32 bytes", async () => {
    const weak = "short-previous";
    const response = await call("/api/me", {
      token: await signClaims(goodClaims(), weak),
      bindings: { JWT_SECRET_PREVIOUS: weak },
    });
    await expectRefused(response);
  });
});

describe("any usable JWT_SECRET", () => {
  it("verifies tokens even when the secret happens to contain PUBLIC or PRIVATE", async () => {
    // A string key with these words would be read as a PEM by hono/jwt; ours is a raw HMAC key.
    for (const secret of [
      "PUBLIC-0123456789abcdef0123456789abcdef",
      "PRIVATE-0123456789abcdef0123456789abcd",
    ]) {
      const claims = goodClaims();
      const response = await call("/api/me", {
        token: await signClaims(claims, secret),
        bindings: { JWT_SECRET: secret },
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ userId: claims.sub });
    }
  });
});

describe("a missing or short JWT_SECRET", () => {
  const misconfigured = {
    error: { code: "misconfigured", message: "The API is not configured to accept requests" },
  };

  it("fails closed with 500 misconfigured, even for a token signed with the empty secret", async () => {
    const response = await call("/api/me", {
      token: await sign(goodClaims(), "x", "HS256"),
      bindings: { JWT_SECRET: undefined },
    });
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual(misconfigured);
  });

  it("fails closed when JWT_SECRET is under 32 bytes, even for a token signed with it", async () => {
    const short = "s".repeat(31);
    const response = await call("/api/todos", {
      token: await sign(goodClaims(), short, "HS256"),
      bindings: { JWT_SECRET: short },
    });
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual(misconfigured);
  });

  it.each(API_OPERATIONS)(
    "fails closed on $method $path too, with the same body",
    async ({ method, path, json }) => {
      const response = await call(path, {
        method,
        json,
        token: await signClaims(goodClaims()),
        bindings: { JWT_SECRET: undefined },
      });
      expect(response.status).toBe(500);
      expect(await response.json()).toEqual(misconfigured);
    },
  );
});
