import { describe, expect, it } from "vitest";
import { useStackBehindApiDouble } from "./api-double.ts";
import { Browser, cookieNamed } from "./browser.ts";
import { createUser } from "./people.ts";
import { SITE } from "./stack.ts";

const BOOKMARK_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{32}$/;
/** The cookie keeps the shard with the bookmark: `<shard>:<bookmark>`. */
const KEPT_SHAPE = /^(weur|enam):[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{32}$/;
const kept = (value: string | undefined) => decodeURIComponent(value ?? "");
const bookmarkOf = (value: string | undefined) => kept(value).split(":")[1];

const on = useStackBehindApiDouble();

describe("the bookmark cookie", () => {
  it("keeps the API's last bookmark and sends it on the next call, so a write is read back", async () => {
    const { browser } = await createUser(on.stack);
    const first = await browser.get("/todos");
    expect(first.status).toBe(200);
    expect(on.api.calls.at(-1)?.get("x-d1-bookmark")).toBeNull();
    const read = cookieNamed(first, "todo_bookmark");
    expect(kept(read?.value)).toMatch(KEPT_SHAPE);
    expect(read?.attributes.has("httponly")).toBe(true);
    expect(read?.attributes.get("samesite")).toBe("Lax");
    expect(read?.attributes.get("path")).toBe("/");
    expect(read?.attributes.has("secure")).toBe(false);
    expect(read?.attributes.has("max-age")).toBe(false);

    const added = await browser.post("/todos", { intent: "add", title: "Read me back" });
    expect(added.status).toBe(303);
    expect(on.api.calls.at(-1)?.get("x-d1-bookmark")).toBe(bookmarkOf(read?.value));
    const written = cookieNamed(added, "todo_bookmark")?.value;
    expect(kept(written)).toMatch(KEPT_SHAPE);
    expect(written).not.toBe(read?.value);

    const after = await browser.get("/todos");
    expect(on.api.calls.at(-1)?.get("x-d1-bookmark")).toBe(bookmarkOf(written));
    expect(await after.text()).toContain("Read me back");
  });

  it("never sends a bookmark that is not in D1's shape", async () => {
    const { browser } = await createUser(on.stack);
    browser.cookies.set("todo_bookmark", "not-a-bookmark");
    const page = await browser.get("/todos");
    expect(page.status).toBe(200);
    expect(on.api.calls.at(-1)?.get("x-d1-bookmark")).toBeNull();
    expect(kept(cookieNamed(page, "todo_bookmark")?.value)).toMatch(KEPT_SHAPE);
  });

  it("never sends a bookmark kept for another shard than the token's, nor one kept without a shard", async () => {
    const browser = new Browser(on.stack, SITE);
    await browser.signUp();
    const first = await browser.get("/todos");
    const [shard, bookmark] = kept(cookieNamed(first, "todo_bookmark")?.value).split(":");
    expect(bookmark).toMatch(BOOKMARK_SHAPE);
    const other = shard === "weur" ? "enam" : "weur";
    for (const value of [`${other}:${bookmark}`, `${bookmark}`, `${shard}:not-a-bookmark`]) {
      browser.cookies.set("todo_bookmark", encodeURIComponent(value));
      const page = await browser.get("/todos");
      expect(page.status).toBe(200);
      expect(on.api.calls.at(-1)?.get("x-d1-bookmark")).toBeNull();
      expect(kept(cookieNamed(page, "todo_bookmark")?.value)).toMatch(KEPT_SHAPE);
    }
    browser.cookies.set("todo_bookmark", encodeURIComponent(`${shard}:${bookmark}`));
    expect((await browser.get("/todos")).status).toBe(200);
    expect(on.api.calls.at(-1)?.get("x-d1-bookmark")).toBe(bookmark);
  });
});

/** The `Server-Timing` entries of an answer, by name: how many and whether each has a duration. */
function timings(response: Response): Map<string, number> {
  const counts = new Map<string, number>();
  for (const entry of (response.headers.get("server-timing") ?? "").split(",")) {
    const match = /^\s*([\w-]+);dur=\d+(\.\d+)?\s*$/.exec(entry);
    if (match?.[1]) counts.set(match[1], (counts.get(match[1]) ?? 0) + 1);
  }
  return counts;
}

describe("a signed-in view of the todos", () => {
  it("makes one auth-database round trip and one API call, and says so in Server-Timing", async () => {
    const { browser } = await createUser(on.stack);
    await browser.get("/todos");
    const calls = on.api.calls.length;
    const page = await browser.get("/todos");
    expect(page.status).toBe(200);
    expect(on.api.calls.length - calls).toBe(1);
    expect(timings(page)).toEqual(
      new Map([
        ["auth-d1", 1],
        ["api", 1],
        ["total", 1],
      ]),
    );
  });

  it("times a signed-out page too, with no round trip at all", async () => {
    const page = await new Browser(on.stack, SITE).get("/sign-in");
    expect(page.status).toBe(200);
    expect(timings(page)).toEqual(new Map([["total", 1]]));
  });

  it("never shows the todos a token cookie of someone else reads", async () => {
    const { browser: alice } = await createUser(on.stack);
    const { browser: bob } = await createUser(on.stack);
    await bob.post("/todos", { intent: "add", title: "Bob's secret" });
    alice.cookies.set("todo_token", bob.cookies.get("todo_token") ?? "");
    const page = await alice.get("/todos");
    expect(page.status).toBe(200);
    expect(await page.text()).not.toContain("Bob&#39;s secret");
    expect(alice.cookies.get("todo_token")).not.toBe(bob.cookies.get("todo_token"));
  });

  it("is over for a browser whose session was revoked elsewhere, on its next view", async () => {
    const first = new Browser(on.stack, SITE);
    const { email, password } = await first.signUp();
    const second = new Browser(on.stack, SITE);
    expect((await second.post("/sign-in", { email, password })).status).toBe(303);
    expect((await first.get("/todos")).status).toBe(200);

    const revoked = await second.request("/api/auth/revoke-sessions", {
      method: "POST",
      headers: { origin: SITE, "content-type": "application/json" },
      body: "{}",
    });
    expect(revoked.status).toBe(200);
    const page = await first.get("/todos");
    expect(page.status).toBe(302);
    expect(page.headers.get("location")).toBe("/sign-in");
    expect(cookieNamed(page, "todo_token")?.attributes.get("max-age")).toBe("0");
    expect(cookieNamed(page, "todo_bookmark")?.attributes.get("max-age")).toBe("0");
  });

  it("never writes for a revoked session, even with a token cookie the API would accept", async () => {
    const { browser } = await createUser(on.stack);
    const token = browser.cookies.get("todo_token") ?? "";
    const signedOut = await browser.request("/api/auth/revoke-sessions", {
      method: "POST",
      headers: { origin: SITE, "content-type": "application/json" },
      body: "{}",
    });
    expect(signedOut.status).toBe(200);
    browser.cookies.set("todo_token", token);
    const calls = on.api.calls.length;
    const add = await browser.post("/todos", { intent: "add", title: "Ghost write" });
    expect(add.status).toBe(303);
    expect(add.headers.get("location")).toBe("/sign-in");
    expect(on.api.calls.length).toBe(calls);
    const list = await on.stack.api("/api/todos", {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(((await list.json()) as { items: unknown[] }).items).toEqual([]);
  });
});
