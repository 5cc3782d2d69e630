import { afterEach } from "vitest";
import { takeAnswers } from "../status-coverage/answers.ts";

// Each test's answers travel to the status coverage reporter in its task metadata.
afterEach(({ task }) => {
  task.meta.answers = takeAnswers();
});
