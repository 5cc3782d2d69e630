import { defineConfig } from "vitest/config";

/**
 * Browser end-to-end tests: one local stack for the whole run, two files at a time
 * (each with its own Chromium and its own people, so they cannot disturb each other).
 */
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ["*.test.ts"],
    globalSetup: ["./support/global-setup.ts"],
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
