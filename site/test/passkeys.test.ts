import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser, cookieNamed } from "./browser.ts";
import { SITE, type Stack, startStack } from "./stack.ts";
import { userIdOf } from "./stored.ts";

/** Attempts per IP; each Browser has its own IP. */
const LIMIT = 3;
const PASSWORD = "plum-orbit-lantern-47";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ siteVars: { AUTH_RATE_LIMIT_MAX: String(LIMIT) } });
});
afterAll(() => stack?.close());

async function signedUp() {
  const browser = new Browser(stack, SITE);
  await browser.signUp(undefined, PASSWORD);
  return { browser, id: await userIdOf(browser) };
}

/** A passkey row as Better Auth's plugin stores one (the ceremony itself runs in e2e). */
async function storedPasskey(userId: string, name: string) {
  const id = crypto.randomUUID();
  await (await stack.authDb())
    .prepare(
      `INSERT INTO passkey (id, name, publicKey, userId, credentialID, counter, deviceType, backedUp, transports, createdAt)
       VALUES (?1, ?2, 'cHVibGljLWtleQ', ?3, ?4, 0, 'singleDevice', 0, 'internal', ?5)`,
    )
    .bind(id, name, userId, `credential-${id}`, new Date().toISOString())
    .run();
  return id;
}

const passkeyCount = async (id: string) =>
  (
    await (
      await stack.authDb()
    )
      .prepare("SELECT count(*) AS n FROM passkey WHERE id = ?1")
      .bind(id)
      .first<{ n: number }>()
  )?.n ?? 0;

const getJson = (browser: Browser, path: string) =>
  browser.request(path, { headers: { accept: "application/json" } });

const postJson = (browser: Browser, path: string, body: unknown) =>
  browser.request(path, {
    method: "POST",
    headers: { origin: SITE, "content-type": "application/json" },
    body: JSON.stringify(body),
  });

describe("the passkey markup", () => {
  it("keeps Sign in with a passkey out of the page until the script shows it, and says password sign-in still works", async () => {
    const html = await (await new Browser(stack, SITE).get("/sign-in")).text();
    const outsideTemplates = html.replace(/<template[\s\S]*?<\/template>/g, "");
    expect(html).toMatch(/<template id="passkey-sign-in">[\s\S]*Sign in with a passkey/);
    expect(outsideTemplates).not.toContain("Sign in with a passkey");
    expect(html).toMatch(
      /id="passkey-sign-in-fallback"[^>]*>[\s\S]*Signing in with your\s+password still works/,
    );
    expect(html).toMatch(/autocomplete="username webauthn"/);
    expect(html).toMatch(/<script type="module" src="\/_astro\/[^"]+\.js"><\/script>/);
    expect(outsideTemplates).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
  });

  it("lists the account's own passkeys with Remove, and keeps Add a passkey out of the page without the script", async () => {
    const alice = await signedUp();
    const bob = await signedUp();
    await storedPasskey(alice.id, "Alice's laptop");
    await storedPasskey(bob.id, "Bob's phone");
    const html = await (await alice.browser.get("/account")).text();
    const outsideTemplates = html.replace(/<template[\s\S]*?<\/template>/g, "");
    expect(html).toContain("Alice&#39;s laptop");
    expect(html).not.toContain("Bob");
    expect(outsideTemplates).toMatch(/<form method="post" action="\/account\/passkeys">/);
    expect(outsideTemplates).not.toContain("Add a passkey");
    expect(html).toMatch(/<template id="passkey-add">[\s\S]*Add a passkey/);
    expect(html).toMatch(/id="passkey-add-fallback"[^>]*>[\s\S]*Adding a passkey needs JavaScript/);
  });
});

describe("the passkey endpoints", () => {
  it("offers sign-in options for this site's relying party, with a challenge cookie", async () => {
    const response = await getJson(
      new Browser(stack, SITE),
      "/api/auth/passkey/generate-authenticate-options",
    );
    expect(response.status).toBe(200);
    const options = (await response.json()) as { rpId: string; challenge: string };
    expect(options.rpId).toBe("127.0.0.1");
    expect(options.challenge.length).toBeGreaterThan(20);
    expect(
      cookieNamed(response, "better-auth.better-auth-passkey")?.attributes.has("httponly"),
    ).toBe(true);
  });

  it("expires the challenge cookie when a session starts", async () => {
    const { email } = await new Browser(stack, SITE).signUp(undefined, PASSWORD);
    const browser = new Browser(stack, SITE);
    await getJson(browser, "/api/auth/passkey/generate-authenticate-options");
    expect(browser.cookies.has("better-auth.better-auth-passkey")).toBe(true);
    expect((await browser.post("/sign-in", { email, password: PASSWORD })).status).toBe(303);
    expect(browser.cookies.has("better-auth.better-auth-passkey")).toBe(false);
  });

  it("offers registration only to a signed-in person, asking for a discoverable passkey", async () => {
    const anonymous = await getJson(
      new Browser(stack, SITE),
      "/api/auth/passkey/generate-register-options",
    );
    expect(anonymous.status).toBe(401);
    const { browser } = await signedUp();
    const response = await getJson(browser, "/api/auth/passkey/generate-register-options");
    expect(response.status).toBe(200);
    const options = (await response.json()) as {
      rp: { id: string; name: string };
      authenticatorSelection: { residentKey: string };
    };
    expect(options.rp).toEqual({ id: "127.0.0.1", name: "Todo" });
    expect(options.authenticatorSelection.residentKey).toBe("required");
  });

  it("refuses a made-up passkey answer: no session, no API token", async () => {
    const browser = new Browser(stack, SITE);
    await getJson(browser, "/api/auth/passkey/generate-authenticate-options");
    const response = await postJson(browser, "/api/auth/passkey/verify-authentication", {
      response: {
        id: "no-such-credential",
        rawId: "no-such-credential",
        type: "public-key",
        response: {},
      },
    });
    expect(response.status).toBe(401);
    expect(cookieNamed(response, "todo_token")).toBeUndefined();
    expect(cookieNamed(response, "better-auth.session_token")).toBeUndefined();
  });

  it("counts passkey sign-in attempts against the address's sign-in limit", async () => {
    const browser = new Browser(stack, SITE);
    for (let attempt = 0; attempt < LIMIT; attempt++) {
      const response = await postJson(browser, "/api/auth/passkey/verify-authentication", {
        response: {},
      });
      expect(response.status).not.toBe(429);
    }
    const limited = await postJson(browser, "/api/auth/passkey/verify-authentication", {
      response: {},
    });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});

describe("removing a passkey", () => {
  it("removes the person's own passkey and refuses another person's", async () => {
    const alice = await signedUp();
    const bob = await signedUp();
    const alicesKey = await storedPasskey(alice.id, "Alice's key");

    const refused = await bob.browser.post("/account/passkeys", { passkey: alicesKey });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("That passkey is not there");
    expect(await passkeyCount(alicesKey)).toBe(1);

    const removed = await alice.browser.post("/account/passkeys", { passkey: alicesKey });
    expect(removed.status).toBe(303);
    expect(removed.headers.get("location")).toBe("/account?passkey-removed");
    expect(await passkeyCount(alicesKey)).toBe(0);
    expect(await (await alice.browser.get("/account?passkey-removed")).text()).toContain(
      "That passkey is removed.",
    );

    const again = await alice.browser.post("/account/passkeys", { passkey: alicesKey });
    expect(again.status).toBe(400);
  });

  it("refuses a removal from another site", async () => {
    const alice = await signedUp();
    const key = await storedPasskey(alice.id, "Key");
    const response = await alice.browser.post(
      "/account/passkeys",
      { passkey: key },
      "https://evil.example",
    );
    expect(response.status).toBe(403);
    expect(await passkeyCount(key)).toBe(1);
  });
});
