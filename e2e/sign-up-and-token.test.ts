import { describe, expect, inject, it } from "vitest";
import { callApi, decodeJwt, newPerson, signUp, tokenCookie } from "./support/app.ts";
import { useBrowser } from "./support/browser.ts";

const browser = useBrowser();

describe("signing up", () => {
  it("lands on /todos with the token in an HttpOnly, SameSite=Lax cookie that page scripts cannot read", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signUp(page, newPerson("Ada"));

    expect(new URL(page.url()).pathname).toBe("/todos");
    const cookie = await tokenCookie(context);
    expect(cookie).toBeDefined();
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe("Lax");
    expect(cookie?.path).toBe("/");
    const secondsLeft = (cookie?.expires ?? 0) - Date.now() / 1000;
    expect(secondsLeft).toBeGreaterThan(1700);
    expect(secondsLeft).toBeLessThanOrEqual(1800);
    const visibleToScripts = await page.evaluate(() => document.cookie);
    expect(visibleToScripts).not.toContain(cookie?.value ?? "<none>");
  });
});

describe("single sign-on", () => {
  const name = inject("signOnName");
  it.skipIf(!name)(
    "signs in through the identity provider without JavaScript, into the same token cookie",
    async () => {
      const context = await browser.newContext({ javaScriptEnabled: false });
      const page = await context.newPage();
      await page.goto("/sign-in");
      await page.getByRole("button", { name: `Sign in with ${name}` }).click();
      await page.waitForURL("**/todos");

      const cookie = await tokenCookie(context);
      expect(cookie?.httpOnly).toBe(true);
      const session = await (await context.request.get("/api/auth/get-session")).json();
      expect(decodeJwt(cookie?.value ?? "").payload.sub).toBe(session.user.id);
      expect((await callApi("/api/me", cookie?.value)).status).toBe(200);
    },
  );
});
