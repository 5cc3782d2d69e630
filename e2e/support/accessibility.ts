import AxeBuilder from "@axe-core/playwright";
import type { BrowserContext, Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { addTodo, newPerson, shownTitles, signIn, signUp, toggleTodo } from "./app.ts";
import { type BrowserForTests, useBrowser } from "./browser.ts";
import { mailedLink } from "./mailbox.ts";

/** WCAG 2.0–2.2 A and AA, and axe's best practices. */
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];

type Shown = {
  name: string;
  /** Signed in as a new person first, or not. */
  signedIn: boolean;
  /** Brings the page into the state to check; `javaScript` says which mode runs. */
  show: (page: Page, javaScript: boolean, browser: BrowserForTests) => Promise<unknown>;
};

const visit = (path: string) => (page: Page) => page.goto(path);

/** Two todos, one completed: added by the first page that needs them (one person per mode). */
async function withCompletedTodos(page: Page, javaScript: boolean, path = "/todos") {
  await page.goto("/todos");
  if (!(await shownTitles(page)).includes("Buy milk")) {
    await addTodo(page, "Buy milk");
    await addTodo(page, "Walk dog");
    await toggleTodo(page, "Buy milk", javaScript);
  }
  if (path !== "/todos") await page.goto(path);
}

/** Every page in the states worth checking: adding a page is one line here. */
const PAGES: Shown[] = [
  { name: "sign-in", signedIn: false, show: (page) => showSignIn(page, "/sign-in") },
  {
    name: "sign-in, single sign-on failed",
    signedIn: false,
    show: async (page) => {
      await showSignIn(page, "/sign-in?sso-failed");
      if (inject("signOnName")) await page.getByRole("alert").waitFor();
    },
  },
  {
    name: "sign-up with an error",
    signedIn: false,
    show: async (page) => {
      await page.goto("/sign-up");
      await page.getByRole("button", { name: "Sign up" }).click();
      await page.getByRole("alert").waitFor();
    },
  },
  { name: "404", signedIn: false, show: visit("/no-such-page") },
  { name: "todos, empty", signedIn: true, show: visit("/todos") },
  {
    name: "todos with completed items",
    signedIn: true,
    show: (page, js) => withCompletedTodos(page, js),
  },
  {
    name: "todos with an error",
    signedIn: true,
    show: async (page) => {
      await page.goto("/todos");
      await page.getByRole("button", { name: "Add", exact: true }).click();
      await page.getByRole("alert").waitFor();
    },
  },
  {
    name: "filter All",
    signedIn: true,
    show: (page, js) => withCompletedTodos(page, js, "/todos?status=all"),
  },
  {
    name: "filter Active",
    signedIn: true,
    show: (page, js) => withCompletedTodos(page, js, "/todos?status=active"),
  },
  {
    name: "filter Completed",
    signedIn: true,
    show: (page, js) => withCompletedTodos(page, js, "/todos?status=completed"),
  },
  { name: "account", signedIn: true, show: visit("/account") },
  { name: "forgot password", signedIn: false, show: visit("/forgot-password") },
  { name: "forgot password, sent", signedIn: false, show: visit("/forgot-password?sent") },
  {
    name: "reset link that does not work",
    signedIn: false,
    show: visit("/reset-password?token=forged"),
  },
  {
    name: "todos, confirmation link resent",
    signedIn: true,
    show: visit("/todos?verification-sent"),
  },
  { name: "account, link resent", signedIn: true, show: visit("/account?verification-sent") },
  { name: "confirm email, live link", signedIn: true, show: openVerificationLink },
  {
    name: "confirm email, done",
    signedIn: true,
    show: async (page) => {
      await openVerificationLink(page);
      await page.getByRole("button", { name: "Confirm email address" }).click();
      await page.waitForURL("**/verify-email?verified");
    },
  },
  { name: "account with another session", signedIn: true, show: withAnotherSession },
  { name: "account, a session signed out", signedIn: true, show: visit("/account?session-ended") },
  { name: "confirmation link that does not work", signedIn: false, show: visit("/verify-email") },
  { name: "account with a passkey", signedIn: true, show: withPasskey },
];

/**
 * Opens a sign-in page. The suite's own stack has single sign-on configured, so its
 * button is on the page axe checks; a stack started by hand may have none.
 */
async function showSignIn(page: Page, path: string) {
  await page.goto(path);
  const name = inject("signOnName");
  if (name) await page.getByRole("button", { name: `Sign in with ${name}` }).waitFor();
}

/** Adds a passkey from a virtual authenticator (with JavaScript), then shows /account; without, the removed notice. */
async function withPasskey(page: Page, javaScript: boolean) {
  if (!javaScript) return page.goto("/account?passkey-removed");
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
    },
  });
  await page.goto("/account");
  await page.getByLabel("Passkey name").fill("Axe laptop");
  await page.getByRole("button", { name: "Add a passkey" }).click();
  return page.waitForURL("**/account?passkey-added");
}

/** Opens the email-confirmation link mailed to the signed-in person (from the dev mailbox). */
async function openVerificationLink(page: Page) {
  await page.goto("/account");
  const email = (await page.locator(".details dd").first().textContent())?.trim() ?? "";
  await page.goto(await mailedLink(email, "Confirm your email address for Todo"));
}

/** Signs the same person in on a second browser, then shows /account with both sessions. */
async function withAnotherSession(page: Page, _javaScript: boolean, browser: BrowserForTests) {
  await page.goto("/account");
  const email = (await page.locator(".details dd").first().textContent())?.trim() ?? "";
  const other = await (await browser.newContext()).newPage();
  await signIn(other, { email, password: newPerson("Axe").password });
  await other.waitForURL("**/todos");
  await page.goto("/account");
}

async function asLoadedWithoutScripts(page: Page, browser: BrowserForTests): Promise<Page> {
  const [html, url] = [await page.content(), page.url()];
  const copy = await (await browser.newContext()).newPage();
  await copy.route(
    (address) => address.href === url,
    (route) => route.fulfill({ contentType: "text/html", body: html }),
  );
  await copy.route(
    (address) => /\.m?js$/.test(address.pathname),
    (route) => route.abort(),
  );
  await copy.goto(url);
  return copy;
}

/**
 * Every page state through axe, in one JavaScript mode (a file per mode, so the two
 * run side by side).
 */
export function checkEveryPage(javaScript: boolean) {
  const browser = useBrowser();
  describe(`accessibility with JavaScript ${javaScript ? "on" : "off"}`, () => {
    /** One person per mode, signed up once; each signed-in page opens with their cookies. */
    let signedIn: Awaited<ReturnType<BrowserContext["storageState"]>> | undefined;
    async function newPage(asSignedIn: boolean): Promise<Page> {
      const options = { javaScriptEnabled: javaScript };
      if (!asSignedIn) return (await browser.newContext(options)).newPage();
      if (signedIn)
        return (await browser.newContext({ ...options, storageState: signedIn })).newPage();
      const context = await browser.newContext(options);
      const page = await context.newPage();
      await signUp(page, newPerson("Axe"));
      signedIn = await context.storageState();
      return page;
    }

    for (const shown of PAGES) {
      it(`${shown.name} has no axe violations`, async () => {
        const page = await newPage(shown.signedIn);
        await shown.show(page, javaScript, browser);
        // axe cannot run where scripts are off: it checks the same HTML, at the same
        // address, in a page whose own scripts are blocked.
        const checked = javaScript ? page : await asLoadedWithoutScripts(page, browser);
        const results = await new AxeBuilder({ page: checked })
          .withTags(AXE_TAGS)
          // Only violations are asserted: axe then skips collecting every passing node.
          .options({ resultTypes: ["violations"] })
          .analyze();
        const violations = results.violations.map((violation) => ({
          rule: violation.id,
          help: violation.help,
          where: violation.nodes.map((node) => node.target.join(" ")),
        }));
        expect(violations).toEqual([]);
      });
    }
  });
}
