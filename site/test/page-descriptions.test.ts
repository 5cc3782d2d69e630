import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser } from "./browser.ts";
import { SITE, type Stack, startStack } from "./stack.ts";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

/** The page's `<meta name="description">` content, or undefined when it has none. */
const descriptionOf = (html: string) =>
  /<meta name="description" content="([^"]*)"/.exec(html)?.[1];

describe("page descriptions", () => {
  it("every page has its own short description", async () => {
    const visitor = new Browser(stack, SITE);
    const member = new Browser(stack, SITE);
    await member.signUp(undefined, "plum-orbit-lantern-47");
    const pages: Array<[Browser, string]> = [
      [visitor, "/sign-in"],
      [visitor, "/sign-up"],
      [visitor, "/forgot-password"],
      [visitor, "/reset-password"],
      [visitor, "/no-such-page"],
      [member, "/todos"],
      [member, "/account"],
    ];
    const descriptions = new Map<string, string>();
    for (const [browser, path] of pages) {
      const description = descriptionOf(await (await browser.get(path)).text());
      expect(description, path).toBeTruthy();
      expect(description?.length, path).toBeLessThanOrEqual(160);
      descriptions.set(path, description ?? "");
    }
    expect(new Set(descriptions.values()).size, JSON.stringify([...descriptions])).toBe(
      pages.length,
    );
  });
});
