import type { BrowserContext, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { callApi, newPerson, signOut, signUp, tokenCookie } from "./support/app.ts";
import { useBrowser } from "./support/browser.ts";

const browser = useBrowser();

/** A page whose browser has a platform authenticator (Chromium's virtual one) that keeps passkeys. */
async function withAuthenticator(context: BrowserContext) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
    },
  });
  const credentials = async () =>
    (await cdp.send("WebAuthn.getCredentials", { authenticatorId })).credentials;
  /** Copies passkeys (with their private keys) into this authenticator. */
  const keep = async (copies: Awaited<ReturnType<typeof credentials>>) => {
    for (const credential of copies) {
      await cdp.send("WebAuthn.addCredential", { authenticatorId, credential });
    }
  };
  return { page, credentials, keep };
}

async function addPasskey(page: Page, name: string) {
  await page.goto("/account");
  await page.getByLabel("Passkey name").fill(name);
  await page.getByRole("button", { name: "Add a passkey" }).click();
  await page.waitForURL("**/account?passkey-added");
  await expect(page.getByText("Your passkey is added.").isVisible()).resolves.toBe(true);
}

async function signInWithPasskey(page: Page) {
  await page.goto("/sign-in");
  await page.getByRole("button", { name: "Sign in with a passkey" }).waitFor();
  expect(await page.getByText("Passkey sign-in needs JavaScript").count()).toBe(0);
  await page.getByRole("button", { name: "Sign in with a passkey" }).click();
}

const alertText = async (page: Page) => {
  const alert = page.getByRole("alert");
  await alert.waitFor();
  return (await alert.textContent()) ?? "";
};

describe("passkeys", () => {
  it("adds a named passkey, signs in with it (same API token cookie as a password), and removes it", async () => {
    const context = await browser.newContext();
    const { page, credentials } = await withAuthenticator(context);
    const person = newPerson("Passkey");
    await signUp(page, person);
    await addPasskey(page, "Work laptop");
    expect(await page.getByText("Work laptop").count()).toBe(1);
    expect(await credentials()).toHaveLength(1);
    const me = await (await context.request.get("/api/auth/get-session")).json();

    await page.goto("/todos");
    await signOut(page);
    expect(await tokenCookie(context)).toBeUndefined();

    await signInWithPasskey(page);
    await page.waitForURL("**/todos");
    const token = (await tokenCookie(context))?.value;
    expect(token).toBeDefined();
    expect(await page.getByRole("heading", { level: 1 }).count()).toBeGreaterThan(0);
    expect((await callApi("/api/todos", token)).status).toBe(200);
    const session = await (await context.request.get("/api/auth/get-session")).json();
    expect(session.user.id).toBe(me.user.id);

    await page.goto("/account");
    await page
      .getByRole("listitem")
      .filter({ hasText: "Work laptop" })
      .getByRole("button", { name: "Remove" })
      .click();
    await page.waitForURL("**/account?passkey-removed");
    expect(await page.getByText("Work laptop").count()).toBe(0);

    await page.goto("/todos");
    await signOut(page);
    await signInWithPasskey(page);
    expect(await alertText(page)).toContain("That passkey is not recognised here");
    expect(new URL(page.url()).pathname).toBe("/sign-in");
    expect(await tokenCookie(context)).toBeUndefined();
  });

  it("signs a passkey in only as the account it was added to", async () => {
    const aliceContext = await browser.newContext();
    const alice = await withAuthenticator(aliceContext);
    await signUp(alice.page, newPerson("Alice"));
    await addPasskey(alice.page, "Alice's key");
    const aliceId = (await (await aliceContext.request.get("/api/auth/get-session")).json()).user
      .id;

    // Bob's browser holds a copy of Alice's passkey and his own session.
    const bobContext = await browser.newContext();
    const bob = await withAuthenticator(bobContext);
    await signUp(bob.page, newPerson("Bob"));
    const bobId = (await (await bobContext.request.get("/api/auth/get-session")).json()).user.id;
    await bob.keep(await alice.credentials());
    await bob.page.goto("/todos");
    await signOut(bob.page);
    await signInWithPasskey(bob.page);
    await bob.page.waitForURL("**/todos");
    const session = await (await bobContext.request.get("/api/auth/get-session")).json();
    expect(session.user.id).toBe(aliceId);
    expect(session.user.id).not.toBe(bobId);

    // Alice removes it: the copy signs no one in any more.
    await alice.page.goto("/account");
    await alice.page.getByRole("button", { name: "Remove" }).click();
    await alice.page.waitForURL("**/account?passkey-removed");
    await bob.page.goto("/todos");
    await signOut(bob.page);
    await signInWithPasskey(bob.page);
    expect(await alertText(bob.page)).toContain("That passkey is not recognised here");
    expect(await tokenCookie(bobContext)).toBeUndefined();
  });

  it("shows no passkey buttons without JavaScript and says password sign-in still works", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto("/sign-in");
    expect(await page.getByRole("button", { name: "Sign in with a passkey" }).count()).toBe(0);
    expect(await page.getByText("Passkey sign-in needs JavaScript").isVisible()).toBe(true);
    await signUp(page, newPerson("NoScript"));
    await page.goto("/account");
    expect(await page.getByRole("button", { name: "Add a passkey" }).count()).toBe(0);
    expect(await page.getByText("Adding a passkey needs JavaScript").isVisible()).toBe(true);
  });
});
