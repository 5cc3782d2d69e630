/**
 * `npm run check:lighthouse`: Lighthouse (mobile, its defaults) over the built site.
 *
 * Builds the site and the API as they deploy, serves both on workerd with fresh local D1
 * (bench/lib's servers, on free loopback ports), signs a person up and gives them a
 * few todos, then audits /sign-in, /sign-up, /forgot-password, /todos and /account in
 * Debian's Chromium (CHROME_PATH, default /usr/bin/chromium), three times each (the median
 * run by performance counts). Fails when a page scores below 100 in accessibility, best
 * practices or SEO, or below 95 in performance.
 * `npm run check:lighthouse` holds /tmp/stack.lock (flock) while it runs.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import type LighthouseResult from "lighthouse/types/lhr/lhr.js";
import { Browser } from "../bench/lib/browser.ts";
import { insertTodos, todoRowsFor } from "../bench/lib/seed.ts";
import { serveApi, serveSite } from "../bench/lib/serve.ts";
import { buildSite } from "./lib/build-site.ts";
import { buildWorker } from "./lib/build-worker.ts";
import { freshSecret } from "./lib/dev-vars.ts";
import { ROOT } from "./lib/process.ts";
import { readWorkerConfig } from "./lib/worker-config.ts";

const PAGES = [
  { path: "/sign-in", signedIn: false },
  { path: "/sign-up", signedIn: false },
  { path: "/forgot-password", signedIn: false },
  { path: "/todos", signedIn: true },
  { path: "/account", signedIn: true },
] as const;

/** The lowest score (0–100) each category may have on every page. */
const FLOORS = {
  performance: 95,
  accessibility: 100,
  "best-practices": 100,
  seo: 100,
} as const;
type Category = keyof typeof FLOORS;
const CATEGORIES = Object.keys(FLOORS) as Category[];

const CHROME_PATH = process.env.CHROME_PATH ?? "/usr/bin/chromium";
/** Lighthouse runs per page (LIGHTHOUSE_RUNS); the median by performance counts. */
const RUNS = Number(process.env.LIGHTHOUSE_RUNS ?? 3);

process.chdir(ROOT);
const work = mkdtempSync(path.join(tmpdir(), "todo-lighthouse-"));
const closers: Array<() => Promise<unknown> | unknown> = [
  () => rmSync(work, { recursive: true, force: true }),
];
let failures: string[] = [];
try {
  console.log("Building the API and the site as they deploy…");
  const apiConfig = readWorkerConfig("wrangler.toml");
  const apiBundle = await buildWorker("wrangler.toml", apiConfig.main, path.join(work, "api"));
  const site = await buildSite(path.join(work, "site"));

  const jwtSecret = freshSecret();
  const api = await serveApi({
    config: apiConfig,
    bundle: apiBundle,
    jwtSecret,
    rows: [],
  });
  closers.push(api.close);
  const served = await serveSite(site, api.url, jwtSecret);
  closers.push(served.close);

  const { browser, userId } = await Browser.signUp(served.url);
  const { cookie } = browser;
  // Every shard gets the rows: the person's home is whichever one the site chose.
  for (const db of api.databases.values()) await insertTodos(db, todoRowsFor(userId, 5));

  const headersFor = (signedIn: boolean): Record<string, string> =>
    signedIn ? { Cookie: cookie } : {};
  // Each page once before it is measured, so no audit pays for a cold isolate.
  for (const page of PAGES) {
    const response = await fetch(`${served.url}${page.path}`, {
      headers: headersFor(page.signedIn),
      redirect: "manual",
    });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${page.path} answered ${response.status}`);
  }

  const chrome = await chromeLauncher.launch({
    chromePath: CHROME_PATH,
    chromeFlags: ["--headless=new", "--no-sandbox"],
  });
  closers.push(() => chrome.kill());

  const rows: Array<Record<string, string | number>> = [];
  /** One Lighthouse run of a page, checked to have audited that page (not a redirect). */
  const audit = async (page: (typeof PAGES)[number], attempt = 1): Promise<LighthouseResult> => {
    const result = await lighthouse(`${served.url}${page.path}`, {
      port: chrome.port,
      logLevel: "error",
      output: "json",
      onlyCategories: CATEGORIES,
      extraHeaders: headersFor(page.signedIn),
    });
    if (!result) throw new Error(`Lighthouse returned nothing for ${page.path}`);
    const { lhr } = result;
    if (lhr.runtimeError) {
      // A trace lost on a busy machine (NO_NAVSTART and the like): Lighthouse asks for another run.
      if (attempt < 3) return audit(page, attempt + 1);
      throw new Error(`${page.path}: ${lhr.runtimeError.message}`);
    }
    if (new URL(lhr.finalDisplayedUrl).pathname !== page.path) {
      throw new Error(`${page.path} ended at ${lhr.finalDisplayedUrl}`);
    }
    return lhr;
  };

  for (const page of PAGES) {
    // Performance moves with the machine's load: the run with the median score counts,
    // as Lighthouse's own advice on variability suggests.
    const runs = [];
    for (let run = 0; run < RUNS; run++) runs.push(await audit(page));
    runs.sort(
      (a, b) => (a.categories.performance?.score ?? 0) - (b.categories.performance?.score ?? 0),
    );
    const lhr = runs[Math.floor(runs.length / 2)];
    if (!lhr) throw new Error("no Lighthouse run");
    const row: Record<string, string | number> = { page: page.path };
    for (const category of CATEGORIES) {
      const score = Math.round((lhr.categories[category]?.score ?? 0) * 100);
      row[category] = score;
      if (score < FLOORS[category]) {
        const failed = Object.values(lhr.audits)
          .filter((audit) => audit.score !== null && audit.score < 1)
          .filter((audit) =>
            lhr.categories[category]?.auditRefs.some(
              (ref) => ref.id === audit.id && ref.weight > 0,
            ),
          )
          .map((audit) => `${audit.id} (${audit.displayValue ?? audit.score})`);
        failures.push(
          `${page.path}: ${category} ${score} < ${FLOORS[category]}: ${failed.join(", ")}`,
        );
      }
    }
    for (const [label, audit] of [
      ["FCP ms", "first-contentful-paint"],
      ["LCP ms", "largest-contentful-paint"],
      ["TBT ms", "total-blocking-time"],
    ] as const) {
      row[label] = Math.round(lhr.audits[audit]?.numericValue ?? Number.NaN);
    }
    rows.push(row);
  }
  console.table(rows);
} catch (error) {
  failures = [`${(error as Error).stack ?? error}`];
} finally {
  for (const close of closers.reverse()) await close();
}
if (failures.length > 0) {
  console.error(`\n${failures.join("\n")}`);
  process.exit(1);
}
console.log("\nEvery page meets its Lighthouse floors.");
