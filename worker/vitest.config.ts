import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

/** 48 bytes: a fixed test secret, never used outside these tests. */
export const TEST_JWT_SECRET = "test-secret-0123456789abcdef0123456789abcdef0123";

export default defineConfig(async () => ({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "../wrangler.toml" },
      miniflare: {
        bindings: {
          JWT_SECRET: TEST_JWT_SECRET,
          JWT_SECRET_PREVIOUS: "",
          TEST_MIGRATIONS: await readD1Migrations(
            path.join(import.meta.dirname, "../migrations/todos"),
          ),
        },
      },
    }),
  ],
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["./test/setup/apply-migrations.ts", "./test/setup/record-answers.ts"],
    reporters: ["default", "./test/status-coverage/reporter.ts"],
    // Request log lines are asserted where they matter; elsewhere they are noise.
    onConsoleLog: (log: string) => !log.startsWith('{"event":"request"'),
  },
}));
