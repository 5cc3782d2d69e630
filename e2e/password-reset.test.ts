import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { newPerson, type Person, signIn, signUp } from "./support/app.ts";
import { useBrowser } from "./support/browser.ts";
import { mailedLink } from "./support/mailbox.ts";

const browser = useBrowser();

async function expectSignInRefused(page: Page, person: Pick<Person, "email" | "password">) {
  await signIn(page, person);
  await page.getByRole("alert").waitFor();
  expect(new URL(page.url()).pathname).toBe("/sign-in");
  expect(await page.getByRole("alert").textContent()).toContain("Invalid email or password");
}

// A real browser, because the reset page's own rules are about what browsers send: it
// is a no-referrer page (its form posts with `Origin: null`) and the token leaves the
// address bar at once. Changing the password and signing out everywhere are covered
// request by request in the site tests (account-sessions, reset-links).
describe("a password reset, with JavaScript disabled", () => {
  it("forgot password: the mailed link sets a new password, which signs in; the old one is refused", async () => {
    const person = newPerson("Reset");
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await signUp(page, person);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL("**/sign-in");

    await page.getByRole("link", { name: "Forgot password?" }).click();
    await page.waitForURL("**/forgot-password");
    await page.getByLabel("Email").fill(person.email);
    await page.getByRole("button", { name: "Send reset link" }).click();
    await page.waitForURL("**/forgot-password?sent");
    expect(await page.getByRole("status").textContent()).toContain(
      "If an account uses that email address, we sent it a link",
    );

    const link = await mailedLink(person.email, "Set a new password for your Todo account");
    expect(new URL(link).pathname).toBe("/reset-password");
    await page.goto(link);
    // The token left the address bar at once: it travels in a cookie of the reset page.
    expect(page.url()).toBe(new URL("/reset-password", link).href);
    await page.getByLabel("New password", { exact: true }).fill("a brand new passphrase");
    await page.getByRole("button", { name: "Set new password" }).click();
    await page.waitForURL("**/sign-in?password-reset");
    expect(await page.getByRole("status").textContent()).toContain("Your new password is set");

    await expectSignInRefused(page, person);
    await signIn(page, { email: person.email, password: "a brand new passphrase" });
    await page.waitForURL("**/todos");

    await page.goto(link);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe(
      "This reset link doesn't work",
    );
  });
});
