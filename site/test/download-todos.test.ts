import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser } from "./browser.ts";
import { SITE, type Stack, startStack } from "./stack.ts";

const PASSWORD = "plum-orbit-lantern-47";
const TITLES = ['Say "hi", then leave', "=SUM(A1:A2)", "Ünïcödé ✓", "plain"];

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

async function personWith(titles: string[]) {
  const browser = new Browser(stack, SITE);
  await browser.signUp(`export-${crypto.randomUUID()}@example.com`, PASSWORD);
  for (const title of titles) {
    const added = await browser.post("/todos", { intent: "add", title });
    expect(added.status).toBe(303);
  }
  return browser;
}

describe("Download my todos", () => {
  it("is on the account page as two plain links, JSON and CSV", async () => {
    const browser = await personWith([]);
    const html = await (await browser.get("/account")).text();
    expect(html).toContain("Download my todos");
    expect(html).toMatch(/<a href="\/account\/export\?format=csv"[^>]*>Download CSV<\/a>/);
    expect(html).toMatch(/<a href="\/account\/export\?format=json"[^>]*>Download JSON<\/a>/);
  });

  it("downloads the person's todos as CSV, and only theirs", async () => {
    const browser = await personWith(TITLES);
    await personWith(["Someone else's"]);
    const response = await browser.get("/account/export?format=csv");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8; header=present");
    expect(response.headers.get("content-disposition")).toMatch(
      /^attachment; filename="todos-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    expect(response.headers.get("cache-control")).toBe("no-store");
    const [header, ...records] = parse(await response.text(), {
      record_delimiter: "\r\n",
    }) as string[][];
    expect(header).toEqual(["id", "title", "description", "completed", "createdAt", "updatedAt"]);
    // Newest first; a formula start comes back guarded.
    expect(records.map((record) => record[1])).toEqual(
      [...TITLES].reverse().map((title) => (title.startsWith("=") ? `'${title}` : title)),
    );
  });

  it("downloads them as JSON in the API's todo shape", async () => {
    const browser = await personWith(TITLES);
    const response = await browser.get("/account/export?format=json");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(
      /^attachment; filename="todos-\d{4}-\d{2}-\d{2}\.json"$/,
    );
    const todos = (await response.json()) as Array<Record<string, unknown>>;
    expect(todos.map((todo) => todo.title)).toEqual([...TITLES].reverse());
    expect(Object.keys(todos[0] ?? {}).sort()).toEqual(
      ["completed", "createdAt", "description", "id", "title", "updatedAt"].sort(),
    );
  });

  it("mints a new API token when the cookie has none, as other pages do", async () => {
    const browser = await personWith(["kept"]);
    browser.cookies.delete("todo_token");
    const response = await browser.get("/account/export?format=json");
    expect(response.status).toBe(200);
    expect(((await response.json()) as unknown[]).length).toBe(1);
    expect(browser.cookies.get("todo_token")).toBeTruthy();
  });

  it("sends signed-out people to sign in, and refuses an unknown format", async () => {
    const guest = await new Browser(stack, SITE).get("/account/export?format=csv");
    expect(guest.status).toBe(302);
    expect(guest.headers.get("location")).toBe("/sign-in");
    const browser = await personWith([]);
    for (const query of ["?format=xml", "", "?format=csv&extra=1"]) {
      const response = await browser.get(`/account/export${query}`);
      expect(response.status, query).toBe(400);
      expect(response.headers.get("content-disposition")).toBeNull();
    }
  });
});
