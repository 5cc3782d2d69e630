import { describe, expect, it } from "vitest";
import { type Document, statusCoverageProblems } from "./status-coverage/check.ts";

const document: Document = {
  paths: {
    "/api/todos": { get: { responses: { "200": {}, "401": {} } } },
    "/api/todos/complete-all": { post: { responses: { "200": {} } } },
    "/api/todos/{id}": { get: { responses: { "200": {}, "404": {} } } },
  },
};
const answer = (method: string, path: string, status: number) => ({ method, path, status });
const everyDocumentedStatus = [
  answer("GET", "/api/todos", 200),
  answer("GET", "/api/todos", 401),
  answer("POST", "/api/todos/complete-all", 200),
  answer("GET", "/api/todos/some-id", 200),
  answer("GET", "/api/todos/other-id", 404),
];

describe("the status coverage check", () => {
  it("passes when every answer is documented and every documented status was answered", () => {
    expect(statusCoverageProblems(document, everyDocumentedStatus)).toEqual([]);
  });

  it("flags a status the operation does not document", () => {
    const answers = [...everyDocumentedStatus, answer("GET", "/api/todos", 500)];
    expect(statusCoverageProblems(document, answers)).toEqual([
      "GET /api/todos 500 is not documented (e.g. GET /api/todos)",
    ]);
  });

  it("flags a documented status that no test produced", () => {
    const answers = everyDocumentedStatus.filter((a) => a.status !== 404);
    expect(statusCoverageProblems(document, answers)).toEqual([
      "GET /api/todos/{id} 404 is documented but no test produced it",
    ]);
  });

  it("matches a concrete path before a template, as OpenAPI does", () => {
    const answers = [...everyDocumentedStatus, answer("GET", "/api/todos/complete-all", 200)];
    expect(statusCoverageProblems(document, answers)).toEqual([
      "GET /api/todos/complete-all answered 200, not 405",
    ]);
  });

  it("accepts only 405 for a method without an operation, and only 404 outside every path", () => {
    const answers = [
      ...everyDocumentedStatus,
      answer("PUT", "/api/todos", 405),
      answer("GET", "/nope", 404),
      answer("DELETE", "/api/todos", 200),
      answer("GET", "/api/todos/a/b", 500),
    ];
    expect(statusCoverageProblems(document, answers)).toEqual([
      "DELETE /api/todos answered 200, not 405",
      "GET /api/todos/a/b answered 500, not 404",
    ]);
  });

  it("counts HEAD as the GET operation", () => {
    const answers = [...everyDocumentedStatus, answer("HEAD", "/api/todos", 200)];
    expect(statusCoverageProblems(document, answers)).toEqual([]);
  });
});
