import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser } from "./browser.ts";
import { SITE, type Stack, startStack } from "./stack.ts";
import { userIdOf } from "./stored.ts";

const PASSWORD = "amber-signal-meadow-63";
const FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
const CHROME_WINDOWS =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

type Where = { userAgent: string; cf?: { city?: string; country?: string } };

/** Signs in with the browser's user agent, from the place Cloudflare would report. */
async function signIn(browser: Browser, email: string, where: Where) {
  const response = await browser.request("/sign-in", {
    method: "POST",
    headers: {
      origin: SITE,
      "content-type": "application/x-www-form-urlencoded",
      "user-agent": where.userAgent,
    },
    body: new URLSearchParams({ email, password: PASSWORD }).toString(),
    ...(where.cf ? { cf: where.cf } : {}),
  } as RequestInit);
  expect(response.status).toBe(303);
}

/**
 * One person signed in on three browsers: Firefox in Lisbon, Chrome somewhere in
 * Portugal, one unknown (the sign-up's session was signed out).
 */
async function personOnThreeBrowsers() {
  const here = new Browser(stack, SITE);
  const { email } = await here.signUp(undefined, PASSWORD);
  await here.post("/sign-out", {});
  await signIn(here, email, {
    userAgent: FIREFOX_LINUX,
    cf: { city: "Lisbon", country: "PT" },
  });
  const there = new Browser(stack, SITE);
  await signIn(there, email, { userAgent: CHROME_WINDOWS, cf: { city: "", country: "PT" } });
  const third = new Browser(stack, SITE);
  await signIn(third, email, { userAgent: "", cf: { city: "", country: "" } });
  return { here, there, third, email, id: await userIdOf(here) };
}

async function sessionRows(id: string) {
  const db = await stack.authDb();
  const { results } = await db
    .prepare(
      `SELECT id, userAgent, city, country FROM session WHERE userId = ?1 ORDER BY createdAt`,
    )
    .bind(id)
    .all<{ id: string; userAgent: string; city: string | null; country: string | null }>();
  return results;
}

const endSession = (browser: Browser, session: string, origin?: string) =>
  browser.post("/account/sessions", { session }, origin);

describe("the sessions on /account", () => {
  it("lists each with its browser and OS, its place, when it signed in and was last active, this browser marked", async () => {
    const { here } = await personOnThreeBrowsers();
    const html = await (await here.get("/account")).text();
    expect(html).toContain("Where you're signed in");
    expect(html).toMatch(
      /Firefox 133 on Linux<strong class="session-current"> · This browser<\/strong>/,
    );
    expect(html).toContain("Chrome 131 on Windows");
    expect(html).toContain("Unknown browser");
    expect(html).toContain("Lisbon, Portugal · signed in");
    expect(html).toContain("Portugal · signed in");
    expect(html).toContain("Place unknown · signed in");
    expect(html).toMatch(/last active <time datetime="\d{4}-\d\d-\d\dT/);
    // Every session but this browser's has its own Sign out form.
    expect(html.match(/action="\/account\/sessions"/g)).toHaveLength(2);
  });

  it("stores only the city and country of the sign-in, and the user agent", async () => {
    const { id } = await personOnThreeBrowsers();
    const rows = await sessionRows(id);
    expect(rows.map(({ userAgent, city, country }) => ({ userAgent, city, country }))).toEqual([
      { userAgent: FIREFOX_LINUX, city: "Lisbon", country: "PT" },
      { userAgent: CHROME_WINDOWS, city: null, country: "PT" },
      { userAgent: "", city: null, country: null },
    ]);
  });
});

describe("Sign out on one session", () => {
  it("ends that session's pages at once, and only that one", async () => {
    const { here, there, third, id } = await personOnThreeBrowsers();
    const before = await sessionRows(id);
    const thereId = before.find((row) => row.userAgent === CHROME_WINDOWS)?.id ?? "";
    const ended = await endSession(here, thereId);
    expect(ended.status).toBe(303);
    expect(ended.headers.get("location")).toBe("/account?session-ended");
    expect(await (await here.get("/account?session-ended")).text()).toContain(
      "That session is signed out.",
    );
    const page = await there.get("/todos");
    expect(page.status).toBe(302);
    expect(page.headers.get("location")).toBe("/sign-in");
    expect((await third.get("/todos")).status).toBe(200);
    expect((await here.get("/todos")).status).toBe(200);
    expect((await sessionRows(id)).map((row) => row.id)).not.toContain(thereId);
  });

  it("of this browser's own session is a sign-out", async () => {
    const { here, id } = await personOnThreeBrowsers();
    const mine = (await sessionRows(id)).find((row) => row.userAgent === FIREFOX_LINUX)?.id ?? "";
    const ended = await endSession(here, mine);
    expect(ended.status).toBe(303);
    expect(ended.headers.get("location")).toBe("/sign-in");
    expect((await here.get("/todos")).status).toBe(302);
  });

  it("cannot end another person's session", async () => {
    const alice = await personOnThreeBrowsers();
    const bob = await personOnThreeBrowsers();
    const bobs = await sessionRows(bob.id);
    const answer = await endSession(alice.here, bobs[1]?.id ?? "");
    expect(answer.status).toBe(400);
    expect(await sessionRows(bob.id)).toHaveLength(bobs.length);
    expect((await bob.there.get("/todos")).status).toBe(200);
  });

  it("is refused from another site, and without a session", async () => {
    const { here, there, id } = await personOnThreeBrowsers();
    const rows = await sessionRows(id);
    const thereId = rows.find((row) => row.userAgent === CHROME_WINDOWS)?.id ?? "";
    expect((await endSession(here, thereId, "https://evil.example")).status).toBe(403);
    const signedOut = await endSession(new Browser(stack, SITE), thereId);
    expect(signedOut.status).toBe(303);
    expect(signedOut.headers.get("location")).toBe("/sign-in");
    expect(await sessionRows(id)).toHaveLength(rows.length);
    expect((await there.get("/todos")).status).toBe(200);
  });
});
