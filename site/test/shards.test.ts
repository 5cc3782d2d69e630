import { SHARDS } from "@todo/worker/shards";
import { decode } from "hono/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser, cookieNamed } from "./browser.ts";
import { SITE, type Stack, startStack } from "./stack.ts";
import { homeShard, shardDatabases, userIdOf } from "./stored.ts";

// A person's home shard is chosen once, at sign-up, from where the request came from
// (`request.cf`), kept with the user, and named in every API token the site mints.

const TOKEN = "todo_token";
const PASSWORD = "plum-orbit-lantern-47";

const PARIS = { latitude: "48.85660", longitude: "2.35220", continent: "EU", country: "FR" };
const NEW_YORK = { latitude: "40.71280", longitude: "-74.00600", continent: "NA", country: "US" };
/** No coordinates (the harness fills in any field a request leaves out), only a continent. */
const EUROPE_ONLY = { latitude: "", longitude: "", continent: "EU", country: "DE" };

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

/** Signs up through the form, the request coming from `cf`. */
async function signUpFrom(cf: object) {
  const browser = new Browser(stack, SITE);
  const email = `person-${crypto.randomUUID()}@example.com`;
  const response = await browser.request("/sign-up", {
    method: "POST",
    headers: { origin: SITE, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ name: "Far Away", email, password: PASSWORD }).toString(),
    cf,
  } as RequestInit);
  expect(response.status).toBe(303);
  return { browser, userId: await userIdOf(browser) };
}

const tokenClaims = (browser: Browser) => decode(browser.cookies.get(TOKEN) ?? "").payload;

/** How many todos of `userId` each shard's database holds, read past the API. */
async function storedPerShard(userId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const [id, db] of Object.entries(await shardDatabases(stack))) {
    const row = await db
      .prepare("SELECT count(*) AS n FROM todos WHERE user_id = ?1")
      .bind(userId)
      .first<{ n: number }>();
    counts[id] = row?.n ?? -1;
  }
  return counts;
}

const onlyOn = (shard: string, n: number) =>
  Object.fromEntries(SHARDS.map((each) => [each.id, each.id === shard ? n : 0]));

describe("a person's home shard", () => {
  it.each([
    ["weur", "coordinates in Paris", PARIS],
    ["enam", "coordinates in New York", NEW_YORK],
    ["weur", "only a continent, Europe", EUROPE_ONLY],
  ])(
    "is %s for a sign-up with %s; the token names it and the todos land there only",
    async (shard, _where, cf) => {
      const { browser, userId } = await signUpFrom(cf);
      expect(await homeShard(stack, userId)).toBe(shard);
      expect(tokenClaims(browser)).toMatchObject({ sub: userId, shard });

      for (const title of ["first", "second"]) {
        expect((await browser.post("/todos", { intent: "add", title })).status).toBe(303);
      }
      expect(await storedPerShard(userId)).toEqual(onlyOn(shard, 2));
      const page = await browser.get("/todos");
      const html = await page.text();
      expect(html).toContain("second");
      expect(html).toContain("2 items left");
    },
  );

  it("cannot be set by the sign-up body", async () => {
    const browser = new Browser(stack, SITE);
    const email = `person-${crypto.randomUUID()}@example.com`;
    const response = await browser.request("/api/auth/sign-up/email", {
      method: "POST",
      headers: { origin: SITE, "content-type": "application/json" },
      body: JSON.stringify({ name: "Chooser", email, password: PASSWORD, shard: "enam" }),
      cf: PARIS,
    } as RequestInit);
    expect(response.status).toBe(400);
    const db = await stack.authDb();
    const row = db.prepare(`SELECT count(*) AS n FROM "user" WHERE email = ?1`).bind(email);
    expect((await row.first<{ n: number }>())?.n).toBe(0);
  });

  it("goes into every token re-minted from the live session, and a new home replaces the claim at once", async () => {
    const { browser, userId } = await signUpFrom(PARIS);
    browser.cookies.delete(TOKEN);
    expect((await browser.get("/todos")).status).toBe(200);
    expect(tokenClaims(browser)).toMatchObject({ sub: userId, shard: "weur" });

    // The person was moved (npm run shard:move): their still-valid token names the old shard.
    const db = await stack.authDb();
    await db.prepare(`UPDATE "user" SET shard = 'enam' WHERE id = ?1`).bind(userId).run();
    const page = await browser.get("/todos");
    expect(page.status).toBe(200);
    expect(cookieNamed(page, TOKEN)).toBeDefined();
    expect(tokenClaims(browser)).toMatchObject({ sub: userId, shard: "enam" });
    expect((await browser.post("/todos", { intent: "add", title: "after the move" })).status).toBe(
      303,
    );
    expect(await storedPerShard(userId)).toEqual(onlyOn("enam", 1));
  });

  it("is absent for a person from before shards: their token carries no shard claim", async () => {
    const { browser, userId } = await signUpFrom(NEW_YORK);
    const db = await stack.authDb();
    await db.prepare(`UPDATE "user" SET shard = NULL WHERE id = ?1`).bind(userId).run();
    browser.cookies.delete(TOKEN);
    expect((await browser.get("/todos")).status).toBe(200);
    const claims = tokenClaims(browser);
    expect(claims.sub).toBe(userId);
    expect(claims).not.toHaveProperty("shard");
  });
});
