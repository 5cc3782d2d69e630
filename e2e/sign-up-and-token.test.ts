import { describe, expect, it } from "vitest";
import { newPerson, signUp, tokenCookie } from "./support/app.ts";
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
