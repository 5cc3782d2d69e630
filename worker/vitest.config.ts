import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { unstable_readConfig } from "wrangler";

/** 48 bytes: a fixed test secret, never used outside these tests. */
export const TEST_JWT_SECRET = "test-secret-0123456789abcdef0123456789abcdef0123";

const WRANGLER_CONFIG = path.join(import.meta.dirname, "../wrangler.toml");
const UNCONFIGURED_TESTS = "test/unconfigured/**/*.test.ts";

// Request log lines are asserted where they matter; elsewhere they are noise.
const onConsoleLog = (log: string) => !log.startsWith('{"event":"request"');

/**
 * The deployed Worker without any secret: its own isolate, configured from
 * wrangler.toml's runtime settings only, since wrangler would load `.dev.vars`.
 */
function unconfiguredWorker() {
  const config = unstable_readConfig({ config: WRANGLER_CONFIG });
  return cloudflareTest({
    main: path.join(import.meta.dirname, "src/index.ts"),
    miniflare: {
      compatibilityDate: config.compatibility_date,
      compatibilityFlags: config.compatibility_flags,
      d1Databases: config.d1_databases.map(({ binding }: { binding: string }) => binding),
    },
  });
}

export default defineConfig(async () => ({
  test: {
    reporters: ["default", "./test/status-coverage/reporter.ts"],
    // Vitest's default is one file fewer than the cores (one, on two). A file spends
    // much of its time waiting on workerd, so two at once keep both cores busy.
    maxWorkers: 2,
    projects: [
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: WRANGLER_CONFIG },
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
          name: "api",
          // One workerd per test process, not one per file (starting one costs about 2 s of
          // CPU): the files share its D1s, and every test brings its own people, so none
          // depends on another's data (decision 156; passes shuffled in one process).
          isolate: false,
          include: ["test/**/*.test.ts"],
          exclude: [UNCONFIGURED_TESTS],
          setupFiles: ["./test/setup/apply-migrations.ts", "./test/setup/record-answers.ts"],
          onConsoleLog,
        },
      },
      {
        plugins: [unconfiguredWorker()],
        test: { name: "unconfigured", include: [UNCONFIGURED_TESTS], onConsoleLog },
      },
    ],
  },
}));
