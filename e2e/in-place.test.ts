import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import {
  addTodo,
  itemsLeft,
  newPerson,
  shownTitles,
  signOut,
  signUp,
  todoItem,
} from "./support/app.ts";
import { useBrowser } from "./support/browser.ts";
import { announced, countFragmentPosts, focused, markPage, samePage } from "./support/in-place.ts";

const browser = useBrowser();

async function signedInPage(label: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signUp(page, newPerson(label));
  await markPage(page);
  return page;
}

const editField = (page: Page, title: string) => todoItem(page, title).getByLabel(`Edit ${title}`);
const checkbox = (page: Page, title: string) =>
  page.getByRole("checkbox", { name: title, exact: true });

describe("with JavaScript on, the todo forms work in place", () => {
  it("adds with Enter, toggles, saves with Enter, marks all and clears without a page load; the server agrees", async () => {
    const page = await signedInPage("Inplace");
    const posts = countFragmentPosts(page);
    const newTodo = page.getByLabel("New todo");

    await newTodo.fill("Buy milk");
    await newTodo.press("Enter");
    await todoItem(page, "Buy milk").waitFor();
    expect(await announced(page, "Added “Buy milk”")).toContain("1 item left");
    expect(await newTodo.inputValue()).toBe("");
    expect(await focused(page)).toBe("New todo");

    await newTodo.fill("Walk dog");
    await page.getByRole("button", { name: "Add", exact: true }).click();
    await todoItem(page, "Walk dog").waitFor();
    expect(await announced(page, "Added “Walk dog”")).toContain("2 items left");

    await checkbox(page, "Buy milk").check();
    expect(await announced(page, "Completed “Buy milk”")).toContain("1 item left");
    expect(await checkbox(page, "Buy milk").isChecked()).toBe(true);
    expect(await focused(page)).toBe("Buy milk");
    await checkbox(page, "Buy milk").uncheck();
    expect(await announced(page, "Marked “Buy milk” as active")).toContain("2 items left");

    await editField(page, "Walk dog").fill("Walk the dog");
    await editField(page, "Walk dog").press("Enter");
    await todoItem(page, "Walk the dog").waitFor();
    expect(await announced(page, "Saved “Walk the dog”")).toContain("2 items left");
    expect(await focused(page)).toBe("Edit Walk the dog");

    await page.getByRole("button", { name: "Mark all as complete" }).click();
    expect(await announced(page, "Marked all as complete")).toContain("0 items left");
    await page.getByRole("button", { name: "Clear completed" }).click();
    expect(await announced(page, "Cleared completed todos")).toContain("0 items left");
    expect(await shownTitles(page)).toEqual([]);

    await addTodo(page, "Still here");
    expect(posts()).toBe(8);
    expect(await samePage(page)).toBe(true);
    await page.reload();
    expect(await shownTitles(page)).toEqual(["Still here"]);
    expect(await itemsLeft(page)).toBe("1 item left");
  });

  it("puts the title back on Escape and sends nothing", async () => {
    const page = await signedInPage("Escape");
    const posts = countFragmentPosts(page);
    await addTodo(page, "Read book");
    await editField(page, "Read book").fill("Something else");
    await editField(page, "Read book").press("Escape");
    expect(await editField(page, "Read book").inputValue()).toBe("Read book");
    // The next action is the only request after the add: Escape sent none.
    await addTodo(page, "Next");
    expect(posts()).toBe(2);
    await page.reload();
    expect(await shownTitles(page)).toEqual(["Next", "Read book"]);
  });

  it("moves focus after a delete to the next todo, else the previous, else New todo", async () => {
    const page = await signedInPage("Focus");
    for (const title of ["Third", "Second", "First"]) await addTodo(page, title);
    expect(await shownTitles(page)).toEqual(["First", "Second", "Third"]);

    const remove = async (title: string) => {
      await todoItem(page, title).getByRole("button", { name: "Delete" }).click();
      await todoItem(page, title).waitFor({ state: "detached" });
      await announced(page, `Deleted “${title}”`);
    };
    await remove("Second");
    expect(await focused(page)).toBe("Third");
    await remove("Third");
    expect(await focused(page)).toBe("First");
    await remove("First");
    expect(await focused(page)).toBe("New todo");
    expect(await announced(page, "Deleted “First”")).toContain("0 items left");
    expect(await samePage(page)).toBe(true);
    await page.reload();
    expect(await shownTitles(page)).toEqual([]);
  });

  it("shows a failed add or edit next to its form, in place", async () => {
    const page = await signedInPage("Failing");
    await page.getByLabel("New todo").press("Enter");
    const addError = page.locator("form.new-todo").getByRole("alert");
    await addError.waitFor();
    expect(await addError.textContent()).toContain("The title can't be empty");
    expect(await focused(page)).toBe("New todo");

    await addTodo(page, "Keep me");
    expect(await page.locator("form.new-todo").getByRole("alert").count()).toBe(0);
    await editField(page, "Keep me").fill("   ");
    await todoItem(page, "Keep me").getByRole("button", { name: "Save" }).click();
    const editError = todoItem(page, "Keep me").getByRole("alert");
    await editError.waitFor();
    expect(await editError.textContent()).toContain("To remove this todo, use Delete");
    expect(await focused(page)).toBe("Edit Keep me");
    expect(await samePage(page)).toBe(true);
    await page.reload();
    expect(await shownTitles(page)).toEqual(["Keep me"]);
  });

  it("creates one todo from a double-clicked Add", async () => {
    const page = await signedInPage("Double");
    await page.getByLabel("New todo").fill("Only once");
    await page.getByRole("button", { name: "Add", exact: true }).dblclick();
    await announced(page, "Added “Only once”");
    await page.reload();
    expect(await shownTitles(page)).toEqual(["Only once"]);
  });

  it("sends a person signed out in another tab to sign in on their next action", async () => {
    const page = await signedInPage("Signedout");
    const other = await page.context().newPage();
    await other.goto("/todos");
    await signOut(other);
    await page.getByLabel("New todo").fill("Too late");
    await page.getByRole("button", { name: "Add", exact: true }).click();
    await page.waitForURL("**/sign-in");
  });

  it("refreshes a tab brought back to the front, so two tabs agree", async () => {
    const first = await signedInPage("Twotabs");
    const second = await first.context().newPage();
    await second.goto("/todos");
    await markPage(second);
    await addTodo(first, "From the first tab");

    await second.bringToFront();
    await second.evaluate(() => document.dispatchEvent(new Event("visibilitychange")));
    await todoItem(second, "From the first tab").waitFor();
    expect(await itemsLeft(second)).toBe("1 item left");
    expect(await samePage(second)).toBe(true);
  });

  it("keeps filters as links the back button returns from", async () => {
    const page = await signedInPage("Filters");
    await addTodo(page, "Active one");
    await addTodo(page, "Done one");
    await checkbox(page, "Done one").check();
    await announced(page, "Completed “Done one”");

    await page.getByRole("link", { name: "Completed", exact: true }).click();
    await page.waitForURL("**/todos?status=completed");
    expect(await shownTitles(page)).toEqual(["Done one"]);
    await page.getByRole("link", { name: "Active", exact: true }).click();
    await page.waitForURL("**/todos?status=active");
    await page.goBack();
    await page.waitForURL("**/todos?status=completed");
    expect(await shownTitles(page)).toEqual(["Done one"]);
  });
});
