import { describe, expect, it } from "vitest";
import { addTodo, callApi, newPerson, shownTitles, signUp, tokenCookie } from "./support/app.ts";
import { useBrowser } from "./support/browser.ts";

const browser = useBrowser();

type Todo = { id: string; title: string; completed: boolean };

describe("two people", () => {
  it("never see, change or delete each other's todos", async () => {
    const aliceContext = await browser.newContext();
    const bobContext = await browser.newContext();
    const alice = await aliceContext.newPage();
    const bob = await bobContext.newPage();
    await signUp(alice, newPerson("Alice"));
    await signUp(bob, newPerson("Bob"));

    await addTodo(alice, "Alice's diary");
    await addTodo(bob, "Bob's shopping");
    await bob.reload();
    expect(await shownTitles(bob)).toEqual(["Bob's shopping"]);
    await alice.reload();
    expect(await shownTitles(alice)).toEqual(["Alice's diary"]);

    const aliceToken = (await tokenCookie(aliceContext))?.value;
    const bobToken = (await tokenCookie(bobContext))?.value;
    const alicesTodos = (
      (await (await callApi("/api/todos", aliceToken)).json()) as { items: Todo[] }
    ).items;
    const target = alicesTodos[0] as Todo;

    const json = { "Content-Type": "application/json" };
    const attempts = [
      await callApi(`/api/todos/${target.id}`, bobToken),
      await callApi(`/api/todos/${target.id}`, bobToken, {
        method: "PATCH",
        headers: json,
        body: JSON.stringify({ title: "Bob was here", completed: true }),
      }),
      await callApi(`/api/todos/${target.id}`, bobToken, { method: "DELETE" }),
    ];
    for (const response of attempts) {
      expect(response.status).toBe(404);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("not_found");
    }
    const bobsList = (await (await callApi("/api/todos", bobToken)).json()) as { items: Todo[] };
    expect(bobsList.items.map((todo) => todo.title)).toEqual(["Bob's shopping"]);

    const after = await callApi(`/api/todos/${target.id}`, aliceToken);
    expect(await after.json()).toEqual(target);
    await alice.reload();
    expect(await shownTitles(alice)).toEqual(["Alice's diary"]);
  });
});
