import type { AstroCookies } from "astro";
import { describe, expect, it } from "vitest";
import type { Auth } from "../src/server/auth/better-auth.server.ts";
import { loadSession } from "../src/server/auth/session.server.ts";
import type { SiteConfig } from "../src/server/config.server.ts";

const config = {
  secure: true,
  jwtSecret: "session-read-test-secret-0123456789abcdef0123456789",
} as SiteConfig;
const SESSION_COOKIE = "__Secure-better-auth.session_token";

/** A Better Auth stand-in that counts session reads and knows no session. */
function countingAuth() {
  const auth = {
    reads: 0,
    $context: Promise.resolve({ authCookies: { sessionToken: { name: SESSION_COOKIE } } }),
    api: {
      getSession: async () => {
        auth.reads++;
        return { headers: new Headers(), response: null };
      },
    },
  };
  return auth;
}

function jar(values: Record<string, string>) {
  const set: string[] = [];
  const cookies = {
    get: (name: string) => (name in values ? { value: values[name] } : undefined),
    set: (name: string) => set.push(name),
  } as unknown as AstroCookies;
  return { cookies, set };
}

const request = (cookie?: string) =>
  new Request("https://todo.acme.dev/sign-in", cookie ? { headers: { cookie } } : {});

describe("reading the session", () => {
  it("does not call Better Auth at all without a session cookie", async () => {
    const auth = countingAuth();
    const { cookies } = jar({ other: "x" });
    const session = await loadSession(auth as unknown as Auth, config, request("other=x"), cookies);
    expect(session).toEqual({ user: null, tokens: null, setCookies: [] });
    expect(auth.reads).toBe(0);
  });

  it("still clears a left-over token cookie when signed out", async () => {
    const auth = countingAuth();
    const { cookies, set } = jar({ "__Host-todo_token": "stale" });
    await loadSession(auth as unknown as Auth, config, request("__Host-todo_token=stale"), cookies);
    expect(set).toContain("__Host-todo_token");
    expect(auth.reads).toBe(0);
  });

  it("reads it when the browser holds the session cookie by Better Auth's own name", async () => {
    const auth = countingAuth();
    const { cookies } = jar({ [SESSION_COOKIE]: "abc.def" });
    const session = await loadSession(
      auth as unknown as Auth,
      config,
      request(`${SESSION_COOKIE}=abc.def`),
      cookies,
    );
    expect(session.user).toBeNull();
    expect(auth.reads).toBeGreaterThanOrEqual(1);
  });
});
