import type { BrowserContext } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { addTodo, newPerson, shownTitles, signIn, signUp, toggleTodo } from "../support/app.ts";
import { useBrowser } from "../support/browser.ts";
import { freshPersistDir, removePersistDir, startStack } from "../support/stack.ts";

const browser = useBrowser();
const persistDir = freshPersistDir();
afterAll(() => removePersistDir(persistDir));

describe("stopping and starting the stack", () => {
  it("keeps users, sessions and todos", async () => {
    const person = newPerson("Durable");
    let stop = await startStack(persistDir, { logName: "restart.log" });
    let storage: Awaited<ReturnType<BrowserContext["storageState"]>>;
    try {
      const context = await browser.newContext();
      const page = await context.newPage();
      await signUp(page, person);
      await addTodo(page, "Outlives a restart");
      await addTodo(page, "Done before the restart");
      await toggleTodo(page, "Done before the restart");
      storage = await context.storageState();
    } finally {
      await stop();
    }

    stop = await startStack(persistDir, { logName: "restart.log" });
    try {
      // The same cookies: the session is still live in D1 and the todos are there.
      const returning = await browser.newContext({ storageState: storage });
      const page = await returning.newPage();
      await page.goto("/todos");
      expect(new URL(page.url()).pathname).toBe("/todos");
      expect(await shownTitles(page)).toEqual(["Done before the restart", "Outlives a restart"]);
      expect(
        await page.getByRole("checkbox", { name: "Done before the restart" }).isChecked(),
      ).toBe(true);

      // The account too: a fresh browser signs in with the same password.
      const fresh = await (await browser.newContext()).newPage();
      await signIn(fresh, person);
      await fresh.waitForURL("**/todos");
      expect(await shownTitles(fresh)).toHaveLength(2);
    } finally {
      await stop();
    }
  });
});
