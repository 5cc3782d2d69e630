import { defineConfig } from "vitest/config";

/** Unit tests of the scripts' own logic (deploy rules), in Node. */
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ["test/**/*.test.ts"],
  },
});
