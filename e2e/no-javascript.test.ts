import { describe, expect, it } from "vitest";
import { itemsLeft, newPerson, shownTitles, signUp } from "./support/app.ts";
import { useBrowser } from "./support/browser.ts";

const browser = useBrowser();

describe("with JavaScript disabled", () => {
  it("adds one todo when Add is double-clicked", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await signUp(page, newPerson("Doubleclick"));

    await page.getByLabel("New todo").fill("Just once");
    await page.getByRole("button", { name: "Add", exact: true }).dblclick();
    await page.waitForURL("**/todos");
    await page.getByRole("checkbox", { name: "Just once", exact: true }).waitFor();
    await page.reload();
    expect(await shownTitles(page)).toEqual(["Just once"]);
    expect(await itemsLeft(page)).toBe("1 item left");
  });
});
