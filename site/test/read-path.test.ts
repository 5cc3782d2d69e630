import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiDouble, startApiDouble } from "./api-double.ts";
import { Browser, cookieNamed } from "./browser.ts";
import { SITE, type Stack, startStack } from "./stack.ts";

const BOOKMARK_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{32}$/;

let api: ApiDouble;
let stack: Stack;
beforeAll(async () => {
  api = await startApiDouble();
  stack = await startStack({ siteVars: { API_URL: api.url } });
  api.target = stack.api;
});
afterAll(async () => {
  await stack?.close();
  await api?.close();
});

describe("the bookmark cookie", () => {
  it("keeps the API's last bookmark and sends it on the next call, so a write is read back", async () => {
    const browser = new Browser(stack, SITE);
    await browser.signUp();
    const first = await browser.get("/todos");
    expect(first.status).toBe(200);
    expect(api.calls.at(-1)?.get("x-d1-bookmark")).toBeNull();
    const read = cookieNamed(first, "todo_bookmark");
    expect(read?.value).toMatch(BOOKMARK_SHAPE);
    expect(read?.attributes.has("httponly")).toBe(true);
    expect(read?.attributes.get("samesite")).toBe("Lax");
    expect(read?.attributes.get("path")).toBe("/");
    expect(read?.attributes.has("secure")).toBe(false);
    expect(read?.attributes.has("max-age")).toBe(false);

    const added = await browser.post("/todos", { intent: "add", title: "Read me back" });
    expect(added.status).toBe(303);
    expect(api.calls.at(-1)?.get("x-d1-bookmark")).toBe(read?.value);
    const written = cookieNamed(added, "todo_bookmark")?.value;
    expect(written).toMatch(BOOKMARK_SHAPE);
    expect(written).not.toBe(read?.value);

    const after = await browser.get("/todos");
    expect(api.calls.at(-1)?.get("x-d1-bookmark")).toBe(written);
    expect(await after.text()).toContain("Read me back");
  });

  it("never sends a bookmark that is not in D1's shape", async () => {
    const browser = new Browser(stack, SITE);
    await browser.signUp();
    browser.cookies.set("todo_bookmark", "not-a-bookmark");
    const page = await browser.get("/todos");
    expect(page.status).toBe(200);
    expect(api.calls.at(-1)?.get("x-d1-bookmark")).toBeNull();
    expect(cookieNamed(page, "todo_bookmark")?.value).toMatch(BOOKMARK_SHAPE);
  });
});
