import { describe, expect, it } from "vitest";
import {
  addTodo,
  callApi,
  newPerson,
  shownTitles,
  signIn,
  signUp,
  tokenCookie,
} from "./support/app.ts";
import { useBrowser } from "./support/browser.ts";

const browser = useBrowser();

type TodoList = { items: Array<{ title: string }> };
const titlesInApi = async (token: string | undefined) =>
  ((await (await callApi("/api/todos", token)).json()) as TodoList).items.map((t) => t.title);

describe("deleting an account, with JavaScript disabled", () => {
  it("asks for the password, deletes the person and their todos, and leaves another person alone", async () => {
    const bobContext = await browser.newContext();
    const bob = await bobContext.newPage();
    await signUp(bob, newPerson("Bob"));
    await addTodo(bob, "Bob's todo");

    const carol = newPerson("Carol");
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await signUp(page, carol);
    await addTodo(page, "Carol's first");
    await addTodo(page, "Carol's second");
    // The API is stateless: this token still answers for Carol's user id afterwards.
    const carolToken = (await tokenCookie(context))?.value;

    await page.getByRole("link", { name: "Account" }).click();
    await page.waitForURL("**/account");
    expect(await page.getByText(carol.email, { exact: true }).isVisible()).toBe(true);

    await page.getByLabel("Password", { exact: true }).fill("not the password");
    await page.getByRole("button", { name: "Delete account" }).click();
    await page.getByRole("alert").waitFor();
    expect(await page.getByRole("alert").textContent()).toContain("That password is not right");
    expect(await titlesInApi(carolToken)).toEqual(["Carol's second", "Carol's first"]);

    await page.getByLabel("Password", { exact: true }).fill(carol.password);
    await page.getByRole("button", { name: "Delete account" }).click();
    await page.waitForURL("**/sign-up");
    expect((await context.cookies()).filter((cookie) => cookie.value !== "")).toEqual([]);
    expect(await titlesInApi(carolToken)).toEqual([]);

    await signIn(page, carol);
    await page.getByRole("alert").waitFor();
    expect(new URL(page.url()).pathname).toBe("/sign-in");
    expect(await page.getByRole("alert").textContent()).toContain("Invalid email or password");

    await bob.reload();
    expect(await shownTitles(bob)).toEqual(["Bob's todo"]);
    expect(await titlesInApi((await tokenCookie(bobContext))?.value)).toEqual(["Bob's todo"]);
  });
});
