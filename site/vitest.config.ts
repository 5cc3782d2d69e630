import { defineConfig } from "vitest/config";

/**
 * The site's tests run in Node and drive the built site and the real API in
 * workerd (test/stack.ts), from the bundles test/global-setup.ts provides.
 * Two processes each run their files in turn (`isolate: false`), so files in one
 * process asking for a stack with the same options share one. A test waits on
 * workerd about half the time: two at once keep both cores busy.
 */
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["./test/global-setup.ts"],
    maxWorkers: 2,
    isolate: false,
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
