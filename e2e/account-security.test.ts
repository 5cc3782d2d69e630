import type { Page } from "playwright-core";
import { describe, expect, it, vi } from "vitest";
import { newPerson, type Person, signIn, signUp } from "./support/app.ts";
import { useBrowser } from "./support/browser.ts";

const browser = useBrowser();

/** The reset link mailed to `email`, read from the dev mailbox page (the site mails after it answers). */
async function resetLinkFromMailbox(page: Page, email: string): Promise<string> {
  return vi.waitFor(
    async () => {
      await page.goto("/dev/mailbox");
      const link = page
        .getByRole("article")
        .filter({ hasText: email })
        .getByRole("link", { name: "Open the link in this email" });
      if ((await link.count()) === 0) throw new Error(`no email to ${email} yet`);
      return (await link.first().getAttribute("href")) ?? "";
    },
    { timeout: 15_000, interval: 200 },
  );
}

async function expectSignInRefused(page: Page, person: Pick<Person, "email" | "password">) {
  await signIn(page, person);
  await page.getByRole("alert").waitFor();
  expect(new URL(page.url()).pathname).toBe("/sign-in");
  expect(await page.getByRole("alert").textContent()).toContain("Invalid email or password");
}

for (const javaScriptEnabled of [false, true]) {
  const mode = javaScriptEnabled ? "with JavaScript" : "with JavaScript disabled";

  describe(`account security, ${mode}`, () => {
    it("forgot password: the mailed link sets a new password, which signs in; the old one is refused", async () => {
      const person = newPerson("Reset");
      const context = await browser.newContext({ javaScriptEnabled });
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

      const link = await resetLinkFromMailbox(page, person.email);
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

    it("sign out everywhere from one browser signs the other out on its next page view", async () => {
      const person = newPerson("Everywhere");
      const here = await (await browser.newContext({ javaScriptEnabled })).newPage();
      const thereContext = await browser.newContext({ javaScriptEnabled });
      const there = await thereContext.newPage();
      await signUp(here, person);
      await signIn(there, person);
      await there.waitForURL("**/todos");

      await here.getByRole("link", { name: "Account" }).click();
      await here.waitForURL("**/account");
      expect(await here.getByText("stops working within 30 minutes at most").isVisible()).toBe(
        true,
      );
      await here.getByRole("button", { name: "Sign out everywhere" }).click();
      await here.waitForURL("**/sign-in?signed-out-everywhere");
      expect(await here.getByRole("status").textContent()).toContain(
        "You are signed out everywhere",
      );

      await there.reload();
      await there.waitForURL("**/sign-in");
      expect((await thereContext.cookies()).filter((cookie) => cookie.value !== "")).toEqual([]);
    });

    it("change password keeps this browser signed in and signs the other one out", async () => {
      const person = newPerson("Change");
      const here = await (await browser.newContext({ javaScriptEnabled })).newPage();
      const there = await (await browser.newContext({ javaScriptEnabled })).newPage();
      await signUp(here, person);
      await signIn(there, person);
      await there.waitForURL("**/todos");

      await here.goto("/account");
      await here.getByLabel("Current password", { exact: true }).fill("not the password");
      await here.getByLabel("New password", { exact: true }).fill("another good passphrase");
      await here.getByRole("button", { name: "Change password" }).click();
      await here.getByRole("alert").waitFor();
      expect(await here.getByRole("alert").textContent()).toContain(
        "That current password is not right",
      );

      await here.getByLabel("Current password", { exact: true }).fill(person.password);
      await here.getByLabel("New password", { exact: true }).fill("another good passphrase");
      await here.getByRole("button", { name: "Change password" }).click();
      await here.waitForURL("**/account?password-changed");
      expect(await here.getByRole("status").textContent()).toContain("Your password is changed");
      await here.goto("/todos");
      expect(new URL(here.url()).pathname).toBe("/todos");

      await there.reload();
      await there.waitForURL("**/sign-in");
      await expectSignInRefused(there, person);
    });
  });
}
