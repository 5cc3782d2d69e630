import { defineConfig } from "vitest/config";

/** Browser end-to-end tests: one local stack for the whole run, one file at a time. */
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ["*.test.ts"],
    globalSetup: ["./support/stack.ts"],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
