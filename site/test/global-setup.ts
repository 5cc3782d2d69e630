/**
 * Vitest global setup of the site tests: the Workers they run, built once. Under
 * `npm test` (TODO_TEST_BUILD set) the run's build is taken as it is; on its own,
 * `vitest run` builds into dist-test/ first (scripts/lib/test-build.ts).
 */
import type { TestProject } from "vitest/node";
import { handedBuild, type TestBuild } from "../../scripts/lib/handed-build.ts";
import { buildForTests, TEST_BUILD_DIR } from "../../scripts/lib/test-build.ts";

declare module "vitest" {
  export interface ProvidedContext {
    testBuild: TestBuild;
  }
}

export default async function setup(project: TestProject) {
  project.provide("testBuild", handedBuild() ?? (await buildForTests(TEST_BUILD_DIR)));
}
