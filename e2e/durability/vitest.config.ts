import { defineConfig } from "vitest/config";

/** Restart tests: each starts and stops the stack itself, so they run apart from the others. */
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ["**/*.test.ts"],
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 60_000,
  },
});
