import { defineConfig } from "vitest/config";

/**
 * The site's tests run in Node and drive the built site and the real API in
 * workerd (test/stack.ts), from the bundles test/global-setup.ts provides.
 * One process runs every file in turn (`isolate: false`), so files asking for
 * a stack with the same options share one.
 */
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["./test/global-setup.ts"],
    fileParallelism: false,
    isolate: false,
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
