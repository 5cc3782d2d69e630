import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rateLimitAddress } from "../src/server/auth/rate-limit.server.ts";
import { SITE, type Stack, startStack } from "./stack.ts";

describe("the address a client is counted by", () => {
  it("is an IPv4 address itself", () => {
    expect(rateLimitAddress("203.0.113.7")).toBe("203.0.113.7");
    expect(rateLimitAddress(" 203.0.113.7 ")).toBe("203.0.113.7");
    expect(rateLimitAddress("203.0.113.8")).not.toBe(rateLimitAddress("203.0.113.7"));
  });

  it("is the /64 prefix of an IPv6 address, however it is written", () => {
    const key = "2001:db8:1:2::/64";
    for (const address of [
      "2001:db8:1:2::1",
      "2001:db8:1:2:ffff:ffff:ffff:ffff",
      "2001:0db8:0001:0002:0000:0000:0000:0001",
      "2001:DB8:1:2:A:B:C:D",
      "2001:db8:1:2::",
      "2001:db8:1:2:0:0:0:1",
      "2001:db8:1:2::1%eth0",
    ]) {
      expect(rateLimitAddress(address), address).toBe(key);
    }
  });

  it("tells /64 prefixes apart, also where :: hides the difference", () => {
    expect(rateLimitAddress("2001:db8:1:3::1")).toBe("2001:db8:1:3::/64");
    expect(rateLimitAddress("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(rateLimitAddress("2001:db8::1:0:0:1")).toBe("2001:db8:0:0::/64");
    expect(rateLimitAddress("2001:db8:0:1::1")).toBe("2001:db8:0:1::/64");
    expect(rateLimitAddress("::1")).toBe("0:0:0:0::/64");
  });

  it("is the IPv4 address of an IPv4-mapped IPv6 address", () => {
    expect(rateLimitAddress("::ffff:203.0.113.7")).toBe("203.0.113.7");
    expect(rateLimitAddress("::FFFF:cb00:7107")).toBe("203.0.113.7");
    expect(rateLimitAddress("0:0:0:0:0:ffff:203.0.113.9")).toBe("203.0.113.9");
  });

  it("is one shared bucket when the address is missing or not an address", () => {
    for (const value of [
      null,
      "",
      "   ",
      "not-an-ip",
      "2001:db8::1::2",
      "999.1.1.1",
      "1.2.3.4/8",
    ]) {
      expect(rateLimitAddress(value), String(value)).toBe("unknown");
    }
  });
});

/** Two /64 prefixes no other test of this run uses (the stack is shared). */
const [aa, bb] = [...crypto.getRandomValues(new Uint16Array(2))].map((n) => n.toString(16));
const prefix = `2001:db8:${aa}:${bb}`;
const otherPrefix = `2001:db8:${aa}:${(Number.parseInt(bb ?? "0", 16) ^ 1).toString(16)}`;

describe("signing in from many addresses of one IPv6 /64", () => {
  const LIMIT = 3;
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ siteVars: { AUTH_RATE_LIMIT_MAX: String(LIMIT) } });
  });
  afterAll(() => stack?.close());

  const signIn = (ip: string) =>
    stack.site("/sign-in", {
      method: "POST",
      headers: {
        origin: SITE,
        "content-type": "application/x-www-form-urlencoded",
        "cf-connecting-ip": ip,
      },
      // A new email each time: the per-account count must not be what refuses.
      body: new URLSearchParams({
        email: `nobody-${crypto.randomUUID()}@example.com`,
        password: "wrong password",
      }),
    });

  it("meets 429 with Retry-After once the /64 has used its attempts; another /64 is unaffected", async () => {
    for (let host = 1; host <= LIMIT; host++) {
      const response = await signIn(`${prefix}::${host.toString(16)}`);
      expect(response.status, `attempt ${host}`).toBe(401);
    }
    const refused = await signIn(`${prefix}:dead:beef:0:1`);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await refused.text()).toContain("Too many attempts");

    const api = await stack.site("/api/auth/sign-in/email", {
      method: "POST",
      headers: {
        origin: SITE,
        "content-type": "application/json",
        "cf-connecting-ip": `${prefix}::ff`,
      },
      body: JSON.stringify({ email: "nobody@example.com", password: "wrong password" }),
    });
    expect(api.status).toBe(429);
    expect(Number(api.headers.get("retry-after"))).toBeGreaterThan(0);

    expect((await signIn(`${otherPrefix}::1`)).status).toBe(401);
  });
});
