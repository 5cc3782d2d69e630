import { describe, expect, it } from "vitest";
import {
  addTodo,
  deleteTodo,
  editTodo,
  itemsLeft,
  newPerson,
  shownTitles,
  signUp,
  todoItem,
  toggleTodo,
} from "./support/app.ts";
import { useBrowser } from "./support/browser.ts";

const browser = useBrowser();

describe("the todo list", () => {
  it("does everything TodoMVC does: add, edit, toggle, toggle all, filter, clear, count, delete", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signUp(page, newPerson("Margaret"));

    for (const title of ["Buy milk", "Walk dog", "Read book"]) await addTodo(page, title);
    expect(await shownTitles(page)).toEqual(["Read book", "Walk dog", "Buy milk"]);
    expect(await itemsLeft(page)).toBe("3 items left");

    await editTodo(page, "Walk dog", "Walk the dog");
    await todoItem(page, "Walk the dog").waitFor();
    expect(await shownTitles(page)).toEqual(["Read book", "Walk the dog", "Buy milk"]);

    await toggleTodo(page, "Buy milk");
    expect(await itemsLeft(page)).toBe("2 items left");
    await toggleTodo(page, "Read book");
    expect(await itemsLeft(page)).toBe("1 item left");

    await page.getByRole("link", { name: "Active", exact: true }).click();
    await page.waitForURL("**/todos?status=active");
    expect(await shownTitles(page)).toEqual(["Walk the dog"]);
    await page.reload();
    expect(await shownTitles(page)).toEqual(["Walk the dog"]);

    await page.getByRole("link", { name: "Completed", exact: true }).click();
    await page.waitForURL("**/todos?status=completed");
    expect(await shownTitles(page)).toEqual(["Read book", "Buy milk"]);

    await page.getByRole("link", { name: "All", exact: true }).click();
    await page.waitForURL(/\/todos(\?status=all)?$/);
    expect(await shownTitles(page)).toEqual(["Read book", "Walk the dog", "Buy milk"]);

    await page.getByRole("button", { name: "Clear completed" }).click();
    await todoItem(page, "Buy milk").waitFor({ state: "detached" });
    expect(await shownTitles(page)).toEqual(["Walk the dog"]);

    await addTodo(page, "Write letter");
    await page.getByRole("button", { name: "Mark all as complete" }).click();
    await page.getByText("0 items left", { exact: true }).waitFor();
    for (const title of ["Walk the dog", "Write letter"]) {
      expect(await page.getByRole("checkbox", { name: title, exact: true }).isChecked()).toBe(true);
    }

    await deleteTodo(page, "Write letter");
    expect(await shownTitles(page)).toEqual(["Walk the dog"]);
    await page.reload();
    expect(await shownTitles(page)).toEqual(["Walk the dog"]);
  });
});
