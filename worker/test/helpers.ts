import { env } from "cloudflare:workers";
import { sign } from "hono/jwt";
import type { JWTPayload } from "hono/utils/jwt/types";
import { vi } from "vitest";
import { hmacKey } from "../src/auth/hmac-key.ts";
import { mintToken, TOKEN_AUDIENCE, TOKEN_ISSUER } from "../src/auth/token.ts";
import { app } from "../src/index.ts";
import type { Todo } from "../src/schemas/todo.ts";
import { hashShard, SHARDS, type Shard } from "../src/shards.ts";
import { recordAnswer } from "./status-coverage/answers.ts";

export const SECRET = env.JWT_SECRET;
export const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A shard's real D1 database (migrated by the setup file). */
export const shardDatabase = (shard: Shard): D1Database => env[shard.binding];

/** The database a claimless token of `userId` reads and writes: its hash shard's. */
export const userDatabase = (userId: string): D1Database => shardDatabase(hashShard(userId));

/** Bindings that give every shard the same database, e.g. a test double. */
export const onEveryShard = (database: D1Database | undefined): Partial<Env> =>
  Object.fromEntries(SHARDS.map((shard) => [shard.binding, database]));

/** A fresh user id, so tests never share data. */
export const newUserId = () => `user-${crypto.randomUUID()}`;

export async function tokenFor(userId: string): Promise<string> {
  return (await mintToken(userId, SECRET)).token;
}

/** The claims a good token carries; tests override one at a time to break one rule. */
export function goodClaims(overrides: JWTPayload = {}): JWTPayload {
  const iat = nowSeconds();
  return {
    sub: newUserId(),
    iss: TOKEN_ISSUER,
    aud: TOKEN_AUDIENCE,
    iat,
    exp: iat + 1800,
    jti: crypto.randomUUID(),
    ...overrides,
  };
}

export const signClaims = async (claims: JWTPayload, secret = SECRET) =>
  sign(claims, await hmacKey(secret, "sign"), "HS256");

const base64url = (value: unknown) =>
  btoa(JSON.stringify(value)).replaceAll("=", "").replaceAll("+", "-").replaceAll("/", "_");

/** A token with any header and signature, for attacks `hono/jwt` would refuse to sign. */
export const rawToken = (header: object, payload: object, signature = "") =>
  `${base64url(header)}.${base64url(payload)}.${signature}`;

/** One well-formed request for every `/api` operation, for rules that hold on all of them. */
export const API_OPERATIONS: ReadonlyArray<{ method: string; path: string; json?: unknown }> = [
  { method: "GET", path: "/api/me" },
  { method: "GET", path: "/api/todos" },
  { method: "GET", path: "/api/todos/export" },
  { method: "POST", path: "/api/todos", json: { title: "x" } },
  { method: "DELETE", path: "/api/todos?status=completed" },
  { method: "POST", path: "/api/todos/complete-all", json: { completed: true } },
  { method: "GET", path: "/api/todos/some-id" },
  { method: "PATCH", path: "/api/todos/some-id", json: { title: "x" } },
  { method: "DELETE", path: "/api/todos/some-id" },
  { method: "DELETE", path: "/api/me" },
];

type CallOptions = {
  method?: string;
  token?: string;
  json?: unknown;
  body?: BodyInit;
  headers?: Record<string, string>;
  bindings?: Partial<Env>;
};

/**
 * Calls the API Worker inside workerd with the real bindings (D1 with migrations applied),
 * and records the answer for the status coverage check.
 */
export async function call(path: string, options: CallOptions = {}): Promise<Response> {
  const headers = new Headers(options.headers);
  if (options.token !== undefined) headers.set("Authorization", `Bearer ${options.token}`);
  let body = options.body;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    if (!headers.has("Content-Type")) headers.set("Content-Type", "application/json");
  }
  const request = new Request(`http://api.test${path}`, {
    method: options.method ?? "GET",
    headers,
    body,
    ...(body instanceof ReadableStream ? { duplex: "half" } : {}),
  });
  const response = await app.request(request, undefined, { ...env, ...options.bindings });
  recordAnswer(request, response);
  return response;
}

/** A signed-in caller: its id, token, and shortcuts for the common calls. */
export async function newUser() {
  const id = newUserId();
  const token = await tokenFor(id);
  return {
    id,
    token,
    call: (path: string, options: Omit<CallOptions, "token"> = {}) =>
      call(path, { ...options, token }),
    async create(title: string, extra: Partial<Todo> = {}): Promise<Todo> {
      const response = await call("/api/todos", {
        method: "POST",
        token,
        json: { title, ...extra },
      });
      if (response.status !== 201) throw new Error(`create failed: ${response.status}`);
      return response.json();
    },
    async list(query = ""): Promise<{ items: Todo[]; nextCursor: string | null }> {
      const response = await call(`/api/todos${query}`, { token });
      if (response.status !== 200) throw new Error(`list failed: ${response.status}`);
      return response.json();
    },
  };
}

/** Runs `run` with the Worker's `console.log` and `console.error` lines caught instead of printed. */
export async function withLogLines<T>(
  run: () => Promise<T>,
): Promise<{ result: T; lines: string[] }> {
  const lines: string[] = [];
  const spies = (["log", "error"] as const).map((level) =>
    vi.spyOn(console, level).mockImplementation((line: string) => {
      lines.push(line);
    }),
  );
  try {
    return { result: await run(), lines };
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}
