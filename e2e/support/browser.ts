import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
} from "playwright-core";
import { afterAll, afterEach, beforeAll, type TestContext } from "vitest";
import { LOCALHOST_SITE_URL } from "../../scripts/lib/local-stack.ts";
import { RESULTS_DIR } from "./stack.ts";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

type ContextOptions = Pick<BrowserContextOptions, "javaScriptEnabled" | "storageState">;

export type BrowserForTests = ReturnType<typeof useBrowser>;

/**
 * Debian's Chromium for the tests of one file. Pages of
 * a failed test are kept as a screenshot and HTML under test-results/.
 */
export function useBrowser() {
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    // Playwright gives every launch a fresh, temporary --user-data-dir of its own.
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  });

  afterEach(async (context: TestContext) => {
    if (context.task.result?.state === "fail") await keepEvidence(context.task.name);
    await Promise.all(contexts.splice(0).map((browserContext) => browserContext.close()));
  });

  afterAll(async () => {
    await browser?.close();
  });

  async function keepEvidence(testName: string) {
    const slug = testName.replace(/[^a-z0-9]+/gi, "-").slice(0, 80);
    mkdirSync(RESULTS_DIR, { recursive: true });
    let index = 0;
    for (const browserContext of contexts) {
      for (const page of browserContext.pages()) {
        const base = path.join(RESULTS_DIR, `${slug}-${index++}`);
        await page.screenshot({ path: `${base}.png`, fullPage: true }).catch(() => {});
        writeFileSync(`${base}.html`, await page.content().catch(() => ""));
      }
    }
  }

  return {
    /** A fresh browser context (its own cookies) on the site. */
    async newContext(options: ContextOptions = {}): Promise<BrowserContext> {
      const browserContext = await browser.newContext({ baseURL: LOCALHOST_SITE_URL, ...options });
      contexts.push(browserContext);
      return browserContext;
    },
  };
}
