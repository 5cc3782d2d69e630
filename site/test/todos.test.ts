import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser } from "./browser.ts";
import { createUser } from "./people.ts";
import { SITE, type Stack, startStack } from "./stack.ts";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

/** The todos on the page, in order, with their state: `[title, completed]`. */
async function todosOn(browser: Browser, path = "/todos") {
  const response = await browser.get(path);
  expect(response.status).toBe(200);
  const html = await response.text();
  const items = [...html.matchAll(/<li class="todo( completed)?">.*?<\/li>/gs)].map((match) => {
    const title = /aria-label="Edit ([^"]*)"/.exec(match[0])?.[1] ?? "";
    const id = /name="id" value="([^"]+)"/.exec(match[0])?.[1] ?? "";
    return { title, id, completed: match[1] !== undefined };
  });
  const left = /<p class="count">([^<]*)<\/p>/.exec(html)?.[1];
  return { items, left, html };
}

const keyIn = (html: string) => /name="idempotency-key" value="([^"]+)"/.exec(html)?.[1];

describe("the todos page", () => {
  it("sends people who are not signed in to sign in, and / by sign-in state", async () => {
    const browser = new Browser(stack, SITE);
    expect((await browser.get("/todos")).headers.get("location")).toBe("/sign-in");
    expect((await browser.get("/")).headers.get("location")).toBe("/sign-in");
    await browser.signUp();
    expect((await browser.get("/")).headers.get("location")).toBe("/todos");
    expect((await browser.get("/sign-in")).headers.get("location")).toBe("/todos");
  });

  it("adds, edits, toggles, filters, completes all, clears and deletes through forms", async () => {
    const { browser } = await createUser(stack);
    for (const title of ["Buy milk", "Write report", "Call mum"]) {
      const added = await browser.post("/todos", { intent: "add", title });
      expect(added.status).toBe(303);
      expect(added.headers.get("location")).toBe("/todos");
    }
    let page = await todosOn(browser);
    expect(page.items.map((todo) => todo.title)).toEqual(["Call mum", "Write report", "Buy milk"]);
    expect(page.left).toBe("3 items left");
    const [call, report, milk] = page.items.map((todo) => todo.id);

    // The checkbox (with JavaScript, or ticked before pressing Toggle) sets the state…
    await browser.post("/todos?status=active", {
      intent: "toggle",
      id: milk ?? "",
      was: "false",
      completed: "true",
    });
    // …and the Toggle button alone flips it.
    await browser.post("/todos", { intent: "toggle", id: report ?? "", was: "false" });
    page = await todosOn(browser);
    expect(page.left).toBe("1 item left");

    await browser.post("/todos", { intent: "edit", id: call ?? "", title: "  Call mum tonight " });
    expect(
      (await todosOn(browser, "/todos?status=active")).items.map((todo) => todo.title),
    ).toEqual(["Call mum tonight"]);
    expect(
      (await todosOn(browser, "/todos?status=completed")).items.map((todo) => todo.title),
    ).toEqual(["Write report", "Buy milk"]);

    await browser.post("/todos", { intent: "clear-completed" });
    page = await todosOn(browser);
    expect(page.items.map((todo) => todo.title)).toEqual(["Call mum tonight"]);

    await browser.post("/todos", { intent: "complete-all", completed: "true" });
    expect((await todosOn(browser)).left).toBe("0 items left");

    await browser.post("/todos", { intent: "delete", id: call ?? "" });
    expect((await todosOn(browser)).items).toEqual([]);
  });

  it("shows one page of 50 with an Older todos link, and counts every todo", async () => {
    const { browser } = await createUser(stack);
    const token = browser.cookies.get("todo_token") ?? "";
    for (let n = 1; n <= 53; n++) {
      const created = await stack.api("/api/todos", {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ title: `Todo ${n}`, completed: n <= 2 }),
      });
      expect(created.status).toBe(201);
    }
    const first = await todosOn(browser);
    expect(first.items).toHaveLength(50);
    expect(first.items[0]?.title).toBe("Todo 53");
    expect(first.left).toBe("51 items left");
    const older = /<a href="([^"]*)">Older todos<\/a>/
      .exec(first.html)?.[1]
      ?.replaceAll("&amp;", "&");
    expect(older).toMatch(/^\/todos\?cursor=/);

    const second = await todosOn(browser, older);
    expect(second.items.map((todo) => todo.title)).toEqual(["Todo 3", "Todo 2", "Todo 1"]);
    expect(second.left).toBe("51 items left");
    expect(second.html).not.toContain("Older todos");

    // The filter is kept on the older page, and a form sent from it comes back to it.
    const completed = await todosOn(browser, "/todos?status=completed");
    expect(completed.items.map((todo) => todo.title)).toEqual(["Todo 2", "Todo 1"]);
    const sent = await browser.post(older ?? "", { intent: "complete-all", completed: "false" });
    expect(sent.headers.get("location")).toBe(older);

    // A cursor the API does not know leads to the newest page of the filter.
    const bad = await browser.get("/todos?status=active&cursor=not-a-cursor");
    expect(bad.status).toBe(302);
    expect(bad.headers.get("location")).toBe("/todos?status=active");
  });

  it("adds one todo for an add form sent three times, and gives the next form a fresh key", async () => {
    const { browser } = await createUser(stack);
    const key = keyIn((await todosOn(browser)).html);
    expect(key).toMatch(/^[0-9a-f-]{36}$/);
    const fields = { intent: "add", title: "Only once", "idempotency-key": key ?? "" };
    for (let sent = 0; sent < 3; sent++) {
      const response = await browser.post("/todos", fields);
      expect(response.status).toBe(303);
    }
    const page = await todosOn(browser);
    expect(page.items.map((todo) => todo.title)).toEqual(["Only once"]);
    expect(keyIn(page.html)).not.toBe(key);

    // The same key with another title is refused in plain words; the form shown gets a new key.
    const reused = await browser.post("/todos", { ...fields, title: "Something else" });
    expect(reused.status).toBe(422);
    const html = await reused.text();
    expect(html).toContain("This form was already used to add a different todo");
    expect(keyIn(html)).not.toBe(key);
    expect((await todosOn(browser)).items.map((todo) => todo.title)).toEqual(["Only once"]);
  });

  it("refuses an add form whose key is not a key, adding nothing", async () => {
    const { browser } = await createUser(stack);
    const response = await browser.post("/todos", {
      intent: "add",
      title: "Odd key",
      "idempotency-key": "has spaces in it",
    });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain("This form is out of date");
    expect(keyIn(html)).toMatch(/^[0-9a-f-]{36}$/);
    expect((await todosOn(browser)).items).toEqual([]);
  });

  it("keeps the filter in the URL after a form", async () => {
    const { browser } = await createUser(stack);
    const response = await browser.post("/todos?status=completed", { intent: "add", title: "x" });
    expect(response.headers.get("location")).toBe("/todos?status=completed");
  });

  it("refuses an empty title in plain words, keeping the form", async () => {
    const { browser } = await createUser(stack);
    const empty = await browser.post("/todos", { intent: "add", title: "   " });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain("The title can&#39;t be empty");

    await browser.post("/todos", { intent: "add", title: "Keep me" });
    const [todo] = (await todosOn(browser)).items;
    const edit = await browser.post("/todos", { intent: "edit", id: todo?.id ?? "", title: "" });
    expect(edit.status).toBe(400);
    const html = await edit.text();
    expect(html).toContain("To remove this todo, use Delete");
    expect(html).toContain('aria-invalid="true"');
    expect((await todosOn(browser)).items.map((item) => item.title)).toEqual(["Keep me"]);
  });

  it("never shows one person's todos to another", async () => {
    const { browser: alice } = await createUser(stack);
    const { browser: bob } = await createUser(stack);
    await alice.post("/todos", { intent: "add", title: "Alice's secret" });
    const [secret] = (await todosOn(alice)).items;
    expect((await todosOn(bob)).items).toEqual([]);
    await bob.post("/todos", { intent: "delete", id: secret?.id ?? "" });
    await bob.post("/todos", { intent: "edit", id: secret?.id ?? "", title: "Bob was here" });
    expect((await todosOn(alice)).items.map((todo) => todo.title)).toEqual(["Alice's secret"]);
  });
});

describe("sign-up and sign-in errors", () => {
  it("say what went wrong and keep the name and email, never the password", async () => {
    const browser = new Browser(stack, SITE);
    const { email } = await browser.signUp();

    const other = new Browser(stack, SITE);
    const taken = await other.post("/sign-up", {
      name: "Ada",
      email,
      password: "plum-orbit-lantern-47",
    });
    expect(taken.status).toBe(422);
    let html = await taken.text();
    expect(html).toContain("already taken");
    expect(html).toContain('value="Ada"');
    expect(html).toContain(`value="${email}"`);
    expect(html).not.toContain("plum-orbit-lantern-47");

    const short = await other.post("/sign-up", {
      name: "Ada",
      email: "ada@example.com",
      password: "short",
    });
    expect(short.status).toBe(400);
    expect(await short.text()).toContain("Password too short");

    const wrong = await other.post("/sign-in", { email, password: "not the password" });
    expect(wrong.status).toBe(401);
    html = await wrong.text();
    expect(html).toContain("Invalid email or password");
    expect(html).toContain(`value="${email}"`);
    expect(html).not.toContain("not the password");
  });
});

describe("when the API is unreachable", () => {
  let down: Stack;
  beforeAll(async () => {
    // Nothing listens on port 9: every call to the API fails to connect.
    down = await startStack({ siteVars: { API_URL: "http://127.0.0.1:9" } });
  });
  afterAll(() => down?.close());

  it("answers a friendly 502 page, and keeps what was typed", async () => {
    const { browser } = await createUser(down);
    const page = await browser.get("/todos");
    expect(page.status).toBe(502);
    expect(await page.text()).toContain("Your todos are unavailable right now");

    const add = await browser.post("/todos", { intent: "add", title: "Not lost" });
    expect(add.status).toBe(502);
    const html = await add.text();
    expect(html).toContain("Can&#39;t reach the todo service");
    expect(html).toContain('value="Not lost"');
  });
});

describe("when the API refuses the token", () => {
  let mismatched: Stack;
  beforeAll(async () => {
    mismatched = await startStack({
      siteJwtSecret: "a-different-secret-than-the-api-uses-0123456789",
    });
  });
  afterAll(() => mismatched?.close());

  it("re-mints once, then ends the session and sends the person to sign in", async () => {
    const { browser } = await createUser(mismatched);
    const response = await browser.get("/todos");
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/sign-in?ended");
    const minted = response.headers.getSetCookie().filter((raw) => raw.startsWith("todo_token=ey"));
    expect(minted).toHaveLength(1);
    expect((await browser.get("/todos")).headers.get("location")).toBe("/sign-in");
    expect(await (await browser.get("/sign-in?ended")).text()).toContain("Please sign in again");
  });
});
