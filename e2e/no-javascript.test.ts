import { describe, expect, it } from "vitest";
import {
  addTodo,
  deleteTodo,
  itemsLeft,
  newPerson,
  shownTitles,
  signOut,
  signUp,
  toggleTodo,
} from "./support/app.ts";
import { useBrowser } from "./support/browser.ts";

const browser = useBrowser();

describe("with JavaScript disabled", () => {
  it("signs up, adds, toggles, deletes and signs out through plain forms", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await signUp(page, newPerson("Noscript"));

    await addTodo(page, "Plain HTML");
    await addTodo(page, "No scripts");
    expect(await shownTitles(page)).toEqual(["No scripts", "Plain HTML"]);

    await toggleTodo(page, "Plain HTML", false);
    expect(await itemsLeft(page)).toBe("1 item left");

    await deleteTodo(page, "No scripts");
    expect(await shownTitles(page)).toEqual(["Plain HTML"]);

    await signOut(page);
    await page.goto("/todos");
    expect(new URL(page.url()).pathname).toBe("/sign-in");
  });

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
