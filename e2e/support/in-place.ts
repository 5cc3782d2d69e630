import type { Page } from "playwright-core";

/** Checks for work done in place: what the page says, and that it never reloaded. */

/** Marks the loaded document; {@link samePage} is true only while it is still the one shown. */
export async function markPage(page: Page): Promise<void> {
  await page.evaluate(() => {
    (window as unknown as { inPlaceMark: boolean }).inPlaceMark = true;
  });
}

export const samePage = (page: Page): Promise<boolean> =>
  page.evaluate(() => (window as unknown as { inPlaceMark?: boolean }).inPlaceMark === true);

/** Waits until the polite live region says `words`, and returns all it says. */
export async function announced(page: Page, words: string): Promise<string> {
  const region = page.locator('[aria-live="polite"]');
  await page.waitForFunction(
    (text) => document.querySelector('[aria-live="polite"]')?.textContent?.includes(text),
    words,
  );
  return (await region.textContent()) ?? "";
}

/** How the focused element is known to a person: its label (or id when it has none). */
export const focused = (page: Page): Promise<string> =>
  page.evaluate(() => {
    const element = document.activeElement;
    if (!(element instanceof HTMLInputElement || element instanceof HTMLButtonElement)) {
      return element?.tagName ?? "";
    }
    return (
      element.labels?.[0]?.textContent?.trim() || element.getAttribute("aria-label") || element.id
    );
  });

/** Counts the todo forms the page sends in place (fetches asking for the fragment). */
export function countFragmentPosts(page: Page): () => number {
  let count = 0;
  page.on("request", (request) => {
    if (request.method() === "POST" && request.headers()["x-fragment"] === "todos") count++;
  });
  return () => count;
}
