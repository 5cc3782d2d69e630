import { defineConfig } from "vitest/config";

/**
 * The site's tests run in Node and drive the built site and the real API in
 * workerd (test/stack.ts). `npm test -w site` builds first, into dist-test/.
 */
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Each file starts its own workerd; one at a time suits small CI machines.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
