/**
 * The first stage of `npm test`: builds each Worker once, as `wrangler deploy`
 * would, into dist-test/ (ignored by git), for the stages after it:
 *
 *   dist-test/site/        `astro build` (server/wrangler.json, client/)
 *   dist-test/site-bundle/ the site's `wrangler deploy --dry-run` output
 *   dist-test/api-bundle/  the API's `wrangler deploy --dry-run` output
 *   dist-test/build.json   where each is (scripts/lib/handed-build.ts)
 *
 * `npm test` then exports TODO_TEST_BUILD=dist-test, so deploy:check, the site
 * tests, the load test and the end-to-end tests use these bundles.
 */
import { buildForTests, TEST_BUILD_DIR } from "./lib/test-build.ts";

const started = performance.now();
await buildForTests(TEST_BUILD_DIR);
console.log(
  `Built both Workers into ${TEST_BUILD_DIR} in ${((performance.now() - started) / 1000).toFixed(1)} s.`,
);
