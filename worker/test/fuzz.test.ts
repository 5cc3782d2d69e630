import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { ErrorBody } from "../src/errors.ts";
import type { Todo } from "../src/schemas/todo.ts";
import { call, goodClaims, newUser, signClaims } from "./helpers.ts";

type User = Awaited<ReturnType<typeof newUser>>;

const RUNS = 150;
const METHODS = ["GET", "POST", "PATCH", "DELETE", "PUT", "OPTIONS"] as const;

/** Paths of every route, with ids that exist (the victim's), do not exist, or are junk. */
const pathArbitrary = (victimTodoId: string) =>
  fc.oneof(
    fc.constantFrom("/health", "/openapi.json", "/api/me", "/api/todos", "/api/todos/complete-all"),
    fc.constantFrom(victimTodoId, crypto.randomUUID()).map((id) => `/api/todos/${id}`),
    fc.string({ maxLength: 40 }).map((junk) => `/api/todos/${encodeURIComponent(junk)}`),
  );

const queryArbitrary = fc
  .dictionary(
    fc.oneof(fc.constantFrom("status", "limit", "cursor", "userId"), fc.string({ maxLength: 8 })),
    fc.oneof(fc.constantFrom("all", "active", "completed", "0", "50", "-1", "1e3"), fc.string()),
    { maxKeys: 4 },
  )
  .map((params) => {
    const query = new URLSearchParams(params).toString();
    return query ? `?${query}` : "";
  });

/** JSON that is sometimes nearly valid, sometimes hostile, sometimes not JSON at all. */
const bodyArbitrary = fc.oneof(
  fc.jsonValue().map((value) => JSON.stringify(value)),
  fc
    .record(
      {
        title: fc.oneof(fc.string({ maxLength: 250 }), fc.jsonValue()),
        description: fc.oneof(fc.string(), fc.jsonValue()),
        completed: fc.oneof(fc.boolean(), fc.jsonValue()),
        userId: fc.constant("victim"),
        id: fc.uuid(),
      },
      { requiredKeys: [] },
    )
    .map((value) => JSON.stringify(value)),
  fc.string({ maxLength: 200 }),
);

const contentTypeArbitrary = fc.constantFrom(
  "application/json",
  "application/json; charset=utf-8",
  "application/problem+json",
  "text/plain",
  "application/x-www-form-urlencoded",
  "",
);

async function expectSpecShaped(response: Response) {
  expect(response.status).toBeLessThan(500);
  if (response.status >= 400) {
    expect(ErrorBody.safeParse(await response.json()).success).toBe(true);
  }
}

describe("arbitrary requests (property-based)", () => {
  let victim: User;
  let attacker: User;
  let victimsTodos: Todo[];

  beforeAll(async () => {
    victim = await newUser();
    attacker = await newUser();
    await victim.create("victim's open");
    await victim.create("victim's done", { completed: true });
    victimsTodos = (await victim.list()).items;
  });

  it("never answer 5xx, always use the error format, and never touch another user's todos", async () => {
    const victimTodoId = victimsTodos[0]?.id ?? "";
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...METHODS),
        pathArbitrary(victimTodoId),
        queryArbitrary,
        bodyArbitrary,
        contentTypeArbitrary,
        async (method, path, query, body, contentType) => {
          const hasBody = method !== "GET" && method !== "OPTIONS";
          const response = await attacker.call(`${path}${query}`, {
            method,
            ...(hasBody ? { body } : {}),
            headers: contentType ? { "Content-Type": contentType } : {},
          });
          await expectSpecShaped(response);
        },
      ),
      { numRuns: RUNS * 2 },
    );
    expect((await victim.list()).items).toEqual(victimsTodos);
  });

  it("refuse every token that is not a valid one with the same 401", async () => {
    const valid = await signClaims(goodClaims({ sub: victim.id }));
    // The last character is left alone: some of its bits are base64 padding, so changing
    // it may not change the signature's bytes.
    const mutated = fc
      .tuple(fc.nat({ max: valid.length - 2 }), fc.constantFrom(..."ABCxyz019-_.="))
      .map(([at, char]) => `${valid.slice(0, at)}${char}${valid.slice(at + 1)}`)
      .filter((token) => token !== valid);
    const tokens = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.base64String({ maxLength: 300 }),
      fc
        .tuple(fc.base64String(), fc.base64String(), fc.base64String())
        .map((parts) => parts.join(".")),
      mutated,
    );
    await fc.assert(
      fc.asyncProperty(tokens, async (token) => {
        const response = await call("/api/todos", {
          headers: { Authorization: `Bearer ${token}` },
        });
        expect(response.status).toBe(401);
        expect(await response.json()).toEqual({
          error: { code: "unauthorized", message: "A valid bearer token is required" },
        });
      }),
      { numRuns: RUNS * 2 },
    );
    expect((await victim.list()).items).toEqual(victimsTodos);
  });

  it("answer arbitrary header values without a token with the same 401", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(
          fc.constantFrom(
            "Authorization",
            "Content-Type",
            "Content-Length",
            "Cookie",
            "X-Request-Id",
            "Accept",
          ),
          fc.string({ maxLength: 100 }).filter((value) => /^[\t\x20-\x7e]*$/.test(value)),
        ),
        async (headers) => {
          const response = await call("/api/todos", {
            method: "POST",
            body: '{"title":"x"}',
            headers: { ...headers },
          });
          // None of these carries a valid token: only the challenge says whether one was presented.
          const authorization = new Headers(headers).get("Authorization");
          const presented = authorization !== null && /^Bearer +\S+ *$/i.test(authorization);
          expect(response.status).toBe(401);
          expect(response.headers.get("WWW-Authenticate")).toBe(
            presented
              ? 'Bearer realm="todo-api", error="invalid_token"'
              : 'Bearer realm="todo-api"',
          );
          expect(await response.json()).toEqual({
            error: { code: "unauthorized", message: "A valid bearer token is required" },
          });
        },
      ),
      { numRuns: RUNS },
    );
    expect((await victim.list()).items).toEqual(victimsTodos);
  });
});
