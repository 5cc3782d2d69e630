import { verifyToken } from "@todo/worker/verify";
import { OAuth2Server } from "oauth2-mock-server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Browser, cookieNamed } from "./browser.ts";
import { JWT_SECRET, SITE, type Stack, startStack } from "./stack.ts";
import { userIdOf } from "./stored.ts";

const PASSWORD = "copper-lantern-river-58";
const BUTTON = '<button type="submit" class="button-quiet">Sign in with Example ID</button>';

/** Who the provider says signs in next. */
let claims: { sub: string; email: string; email_verified: boolean; name: string };

let provider: OAuth2Server;
let stack: Stack;
beforeAll(async () => {
  provider = new OAuth2Server();
  await provider.issuer.keys.generate("RS256");
  await provider.start(0, "127.0.0.1");
  provider.service.on("beforeTokenSigning", (token) => {
    Object.assign(token.payload, claims);
  });
  provider.service.on("beforeUserinfo", (response) => {
    response.body = { ...claims };
  });
  stack = await startStack({
    siteVars: {
      OIDC_ISSUER: provider.issuer.url ?? "",
      OIDC_CLIENT_ID: "todo-site",
      OIDC_CLIENT_SECRET: "a-client-secret-for-the-tests",
      OIDC_NAME: "Example ID",
    },
  });
});
afterAll(async () => {
  await stack?.close();
  await provider?.stop();
});

beforeEach(() => {
  const id = crypto.randomUUID();
  claims = { sub: id, email: `sso-${id}@example.com`, email_verified: true, name: "Sso Person" };
});

/** Starts single sign-on in the browser and asks the provider; the callback it sends back. */
async function startSignOn(browser: Browser) {
  const started = await browser.post("/sign-in/sso", {});
  expect(started.status).toBe(303);
  const authorize = new URL(started.headers.get("location") ?? "");
  const answer = await fetch(authorize, { redirect: "manual" });
  expect(answer.status).toBe(302);
  const callback = new URL(answer.headers.get("location") ?? "");
  return { authorize, callback, path: `${callback.pathname}${callback.search}` };
}

async function signOn(browser: Browser) {
  const { path } = await startSignOn(browser);
  return browser.get(path);
}

async function providerAccounts(userId: string) {
  const db = await stack.authDb();
  const row = await db
    .prepare(`SELECT count(*) AS n FROM account WHERE userId = ?1 AND providerId = 'oidc'`)
    .bind(userId)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

const failedTo = (response: Response) => {
  expect(response.status).toBe(302);
  const location = new URL(response.headers.get("location") ?? "", SITE);
  expect(location.pathname).toBe("/sign-in");
  expect(location.searchParams.has("sso-failed")).toBe(true);
  expect(cookieNamed(response, "todo_token")).toBeUndefined();
  return location.searchParams.get("error");
};

describe("Sign in with <name>", () => {
  it("is a plain form on /sign-in when single sign-on is set up", async () => {
    const html = await (await new Browser(stack, SITE).get("/sign-in")).text();
    expect(html).toContain('<form method="post" action="/sign-in/sso"');
    expect(html).toContain(BUTTON);
  });

  it("lets that form reach the provider: form-action names the issuer's origin beside 'self'", async () => {
    // Browsers hold a form's redirects to form-action; the sign-on form is answered with one.
    const policy = (await new Browser(stack, SITE).get("/sign-in")).headers.get(
      "content-security-policy",
    );
    const issuer = new URL(provider.issuer.url ?? "").origin;
    expect(policy).toContain(`form-action 'self' ${issuer};`);
  });

  it("sends the browser to the provider with state and PKCE (S256), and back to the callback", async () => {
    const { authorize, callback } = await startSignOn(new Browser(stack, SITE));
    expect(authorize.origin).toBe(new URL(provider.issuer.url ?? "").origin);
    expect(authorize.searchParams.get("response_type")).toBe("code");
    expect(authorize.searchParams.get("client_id")).toBe("todo-site");
    expect(authorize.searchParams.get("redirect_uri")).toBe(`${SITE}/api/auth/callback/oidc`);
    expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorize.searchParams.get("code_challenge")).toMatch(/^[\w-]{43}$/);
    expect(authorize.searchParams.get("state")?.length).toBeGreaterThanOrEqual(16);
    expect(authorize.searchParams.get("scope")?.split(" ")).toEqual(
      expect.arrayContaining(["openid", "email"]),
    );
    expect(callback.searchParams.get("code")).toBeTruthy();
  });

  it("signs a new person up and mints the same API token cookie as a password sign-in", async () => {
    const browser = new Browser(stack, SITE);
    const back = await signOn(browser);
    expect(back.status).toBe(302);
    expect(back.headers.get("location")).toBe("/todos");
    const token = cookieNamed(back, "todo_token");
    expect(token?.attributes.has("httponly")).toBe(true);
    expect(token?.attributes.get("max-age")).toBe("1800");
    const id = await userIdOf(browser);
    const verified = await verifyToken(token?.value ?? "", [JWT_SECRET]);
    expect(verified.sub).toBe(id);
    expect((await browser.get("/todos")).status).toBe(200);
    expect(await (await browser.get("/account")).text()).toContain(claims.email);
  });

  it("refuses a callback whose state was changed", async () => {
    const browser = new Browser(stack, SITE);
    const { callback } = await startSignOn(browser);
    callback.searchParams.set("state", "forged-state-0123456789");
    failedTo(await browser.get(`${callback.pathname}${callback.search}`));
    expect((await browser.get("/todos")).status).toBe(302);
  });

  it("refuses a replayed code", async () => {
    const browser = new Browser(stack, SITE);
    const { path } = await startSignOn(browser);
    expect((await browser.get(path)).status).toBe(302);
    const thief = new Browser(stack, SITE);
    for (const [name, value] of browser.cookies) {
      if (!name.includes("session_token") && name !== "todo_token") thief.cookies.set(name, value);
    }
    failedTo(await thief.get(path));
    expect((await thief.get("/todos")).status).toBe(302);
  });
});

describe("an email that already has a password account", () => {
  async function passwordAccount(confirm: boolean) {
    const browser = new Browser(stack, SITE);
    await browser.signUp(claims.email, PASSWORD);
    const id = await userIdOf(browser);
    if (confirm) {
      const db = await stack.authDb();
      await db.prepare(`UPDATE "user" SET emailVerified = 1 WHERE id = ?1`).bind(id).run();
    }
    return id;
  }

  it("is not joined when the provider has not verified the email", async () => {
    const id = await passwordAccount(true);
    claims.email_verified = false;
    const browser = new Browser(stack, SITE);
    expect(failedTo(await signOn(browser))).toBe("account_not_linked");
    expect(await providerAccounts(id)).toBe(0);
    const page = await (await browser.get("/sign-in?sso-failed&error=account_not_linked")).text();
    expect(page).toContain("An account already uses that email address.");
  });

  it("is not joined while the account's own address is unconfirmed", async () => {
    const id = await passwordAccount(false);
    expect(failedTo(await signOn(new Browser(stack, SITE)))).toBe("account_not_linked");
    expect(await providerAccounts(id)).toBe(0);
  });

  it("is joined when both the provider and the account confirmed the address", async () => {
    const id = await passwordAccount(true);
    const browser = new Browser(stack, SITE);
    expect((await signOn(browser)).headers.get("location")).toBe("/todos");
    expect(await userIdOf(browser)).toBe(id);
    expect(await providerAccounts(id)).toBe(1);
  });
});

describe("without single sign-on settings", () => {
  let plain: Stack;
  beforeAll(async () => {
    plain = await startStack();
  });
  afterAll(() => plain?.close());

  it("shows no button, and the start of a sign-on is not there", async () => {
    const html = await (await new Browser(plain, SITE).get("/sign-in")).text();
    expect(html).not.toContain("/sign-in/sso");
    expect(html).not.toMatch(/Sign in with (?!a passkey)/);
    expect((await new Browser(plain, SITE).post("/sign-in/sso", {})).status).toBe(404);
  });

  it("keeps forms to this site alone", async () => {
    const response = await new Browser(plain, SITE).get("/sign-in");
    expect(response.headers.get("content-security-policy")).toContain("form-action 'self';");
  });
});

describe("half-set single sign-on settings", () => {
  let half: Stack;
  beforeAll(async () => {
    half = await startStack({ siteVars: { OIDC_ISSUER: "https://id.example.com" } });
  });
  afterAll(() => half?.close());

  it("refuse to serve", async () => {
    const response = await new Browser(half, SITE).get("/sign-in");
    expect(response.status).toBe(500);
    expect(await response.text()).toContain("not set up correctly");
  });
});
