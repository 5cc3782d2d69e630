import { readFileSync } from "node:fs";
import type { Reporter, TestModule, TestRunEndReason, Vitest } from "vitest/node";
import { type Answer, type Document, statusCoverageProblems } from "./check.ts";

const DOCUMENT = new URL("../../../docs/openapi.json", import.meta.url).pathname;

/**
 * After a full, green run of the worker tests, compares every answer the tests got
 * from the API with `docs/openapi.json` (which a test keeps equal to what the API
 * serves) and fails the run on any disagreement. A run of some files or some tests
 * only is not checked: it cannot produce every documented status.
 */
export default class StatusCoverageReporter implements Reporter {
  private vitest: Vitest | undefined;

  onInit(vitest: Vitest) {
    this.vitest = vitest;
  }

  async onTestRunEnd(
    modules: ReadonlyArray<TestModule>,
    _errors: unknown,
    reason: TestRunEndReason,
  ) {
    if (reason !== "passed") return;
    if (!(await this.isFullRun(modules))) {
      console.log("Status coverage: not checked (only a full run can produce every status).");
      return;
    }
    const answers: Answer[] = modules.flatMap((module) =>
      [...module.children.allTests()].flatMap((test) => test.meta().answers ?? []),
    );
    const document: Document = JSON.parse(readFileSync(DOCUMENT, "utf8"));
    const problems = statusCoverageProblems(document, answers);
    if (problems.length === 0) {
      console.log(
        `Status coverage: ${answers.length} answers, all documented; every documented status produced.`,
      );
      return;
    }
    console.error(
      `Status coverage failed (docs/openapi.json vs the tests' answers):\n- ${problems.join("\n- ")}`,
    );
    process.exitCode = 1;
  }

  private async isFullRun(modules: ReadonlyArray<TestModule>): Promise<boolean> {
    const vitest = this.vitest;
    if (!vitest || vitest.config.testNamePattern) return false;
    const all = await vitest.globTestSpecifications();
    const ran = modules.filter((module) => module.state() !== "skipped");
    return ran.length === all.length && modules.every((module) => !hasSkippedTests(module));
  }
}

const hasSkippedTests = (module: TestModule) =>
  [...module.children.allTests()].some((test) => test.result().state === "skipped");
