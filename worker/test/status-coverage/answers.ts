import type { Answer } from "./check.ts";

declare module "vitest" {
  interface TaskMeta {
    /** The API's answers during this test, checked against the document after the run. */
    answers?: Answer[];
  }
}

const answers: Answer[] = [];

export function recordAnswer(request: Request, response: Response): void {
  answers.push({
    method: request.method,
    path: new URL(request.url).pathname,
    status: response.status,
  });
}

/** The answers recorded since the last call. */
export const takeAnswers = (): Answer[] => answers.splice(0);
