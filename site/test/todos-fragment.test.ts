import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser } from "./browser.ts";
import { createUser } from "./people.ts";
import { SITE, type Stack, startStack } from "./stack.ts";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

const titles = (html: string) =>
  [...html.matchAll(/aria-label="Edit ([^"]*)"/g)].map((match) => match[1]);
const count = (html: string) => /<p class="count">([^<]*)<\/p>/.exec(html)?.[1];
const varies = (response: Response) =>
  (response.headers.get("vary") ?? "").split(",").map((name) => name.trim().toLowerCase());

describe("the todos fragment", () => {
  it("answers the changing part alone, varying on the header, while the page stays whole", async () => {
    const { browser } = await createUser(stack);
    await browser.post("/todos", { intent: "add", title: "Buy milk" });

    const page = await browser.get("/todos");
    expect(page.status).toBe(200);
    expect(varies(page)).toContain("x-fragment");
    const pageHtml = await page.text();
    expect(pageHtml).toContain("<html");
    expect(pageHtml).toMatch(/<p id="todo-status"[^>]*aria-live="polite"/);
    // The script is an external module; no script element without a src.
    expect(pageHtml).toMatch(/<script type="module" src="\/_astro\/[^"]+\.js"><\/script>/);
    expect(pageHtml).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);

    const fragment = await browser.fragment("/todos?status=active");
    expect(fragment.status).toBe(200);
    expect(varies(fragment)).toContain("x-fragment");
    expect(fragment.headers.get("cache-control")).toBe("no-store");
    expect(fragment.headers.get("content-security-policy")).toContain("script-src 'self'");
    const html = await fragment.text();
    expect(html).toMatch(/^(<!DOCTYPE html>)?<div id="todo-app" data-todo-app/);
    expect(html).not.toContain("<html");
    expect(html).not.toContain('id="todo-status"');
    expect(titles(html)).toEqual(["Buy milk"]);
    expect(count(html)).toBe("1 item left");
    expect(html).toContain('action="/todos?status=active"');
  });

  it("answers a form sent with the header by the list after the action, not a redirect", async () => {
    const { browser } = await createUser(stack);
    const added = await browser.fragment("/todos", { intent: "add", title: "Buy milk" });
    expect(added.status).toBe(200);
    expect(added.headers.get("location")).toBeNull();
    expect(varies(added)).toContain("x-fragment");
    let html = await added.text();
    expect(titles(html)).toEqual(["Buy milk"]);
    expect(count(html)).toBe("1 item left");
    // The add form comes back empty, ready for the next todo.
    expect(html).toMatch(/<input id="new-todo" name="title" type="text" value(="")? /);
    const id = /name="id" value="([^"]+)"/.exec(html)?.[1] ?? "";

    const toggled = await browser.fragment("/todos?status=active", {
      intent: "toggle",
      id,
      was: "false",
      completed: "true",
    });
    expect(toggled.status).toBe(200);
    html = await toggled.text();
    expect(titles(html)).toEqual([]);
    expect(count(html)).toBe("0 items left");
    expect(html).toContain("No active todos");

    // The server agrees: the whole page shows the same.
    const page = await (await browser.get("/todos?status=completed")).text();
    expect(titles(page)).toEqual(["Buy milk"]);

    const deleted = await browser.fragment("/todos", { intent: "delete", id });
    expect(deleted.status).toBe(200);
    expect(titles(await deleted.text())).toEqual([]);
    expect(titles(await (await browser.get("/todos")).text())).toEqual([]);
  });

  it("shows a failed form's message in the fragment, next to that form", async () => {
    const { browser } = await createUser(stack);
    const empty = await browser.fragment("/todos", { intent: "add", title: "  " });
    expect(empty.status).toBe(400);
    let html = await empty.text();
    expect(html).toMatch(
      /<form[^>]*class="new-todo"[\s\S]*aria-invalid="true"[\s\S]*<p id="new-todo-error" class="form-error" role="alert">\s*The title can&#39;t be empty/,
    );

    await browser.post("/todos", { intent: "add", title: "Keep me" });
    const id = /name="id" value="([^"]+)"/.exec(await (await browser.get("/todos")).text())?.[1];
    const edit = await browser.fragment("/todos", { intent: "edit", id: id ?? "", title: "" });
    expect(edit.status).toBe(400);
    html = await edit.text();
    expect(html).toContain(`<p id="edit-error-${id}" class="form-error" role="alert">`);
    expect(html).toContain("To remove this todo, use Delete");
    expect(titles(html)).toEqual(["Keep me"]);
  });

  it("sends a signed-out request, page or fragment, to sign in", async () => {
    const browser = new Browser(stack, SITE);
    const read = await browser.fragment("/todos");
    expect(read.status).toBe(302);
    expect(read.headers.get("location")).toBe("/sign-in");
    const write = await browser.fragment("/todos", { intent: "add", title: "Lost?" });
    expect(write.status).toBe(303);
    expect(write.headers.get("location")).toBe("/sign-in");
  });

  it("accepts a fragment POST from the site's origin and refuses one from another site", async () => {
    const { browser } = await createUser(stack);
    const forged = await browser.fragment(
      "/todos",
      { intent: "add", title: "Forged" },
      "https://evil.example",
    );
    expect(forged.status).toBe(403);
    expect(await forged.text()).not.toContain("data-todo-app");
    const own = await browser.fragment("/todos", { intent: "add", title: "Mine" });
    expect(own.status).toBe(200);
    expect(titles(await (await browser.get("/todos")).text())).toEqual(["Mine"]);
  });
});

describe("the todos fragment when the API is unreachable", () => {
  let down: Stack;
  beforeAll(async () => {
    // Nothing listens on port 9: every call to the API fails to connect.
    down = await startStack({ siteVars: { API_URL: "http://127.0.0.1:9" } });
  });
  afterAll(() => down?.close());

  it("answers 502 with the message in plain words and what was typed", async () => {
    const { browser } = await createUser(down);
    const add = await browser.fragment("/todos", { intent: "add", title: "Not lost" });
    expect(add.status).toBe(502);
    const html = await add.text();
    expect(html).toMatch(/^(<!DOCTYPE html>)?<div id="todo-app"/);
    expect(html).toContain("Can&#39;t reach the todo service");
    expect(html).toContain('value="Not lost"');
  });
});
