/** One answer the API gave during the test run. */
export type Answer = { method: string; path: string; status: number };

type Operation = { responses: Record<string, unknown> };
export type Document = { paths: Record<string, Record<string, Operation | unknown>> };

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

type PathTemplate = { template: string; pattern: RegExp; isStatic: boolean };

function pathTemplates(document: Document): PathTemplate[] {
  return Object.keys(document.paths)
    .map((template) => ({
      template,
      pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`),
      isStatic: !template.includes("{"),
    }))
    .sort((a, b) => Number(b.isStatic) - Number(a.isStatic));
}

/** The document's operation for an answer, as OpenAPI matches paths: a concrete path wins. */
function operationFor(document: Document, templates: PathTemplate[], answer: Answer) {
  const match = templates.find(({ pattern }) => pattern.test(answer.path));
  if (!match) return { template: undefined, operation: undefined };
  // HEAD is answered by the GET handler.
  const method = answer.method === "HEAD" ? "get" : answer.method.toLowerCase();
  const operation = document.paths[match.template]?.[method] as Operation | undefined;
  return { template: match.template, method, operation };
}

/**
 * What the test run and the document disagree on: an answer whose status its operation
 * does not document, an answer outside any operation that is not the 404 or 405 the
 * document promises for those, and a documented status that no answer produced.
 */
export function statusCoverageProblems(document: Document, answers: Answer[]): string[] {
  const templates = pathTemplates(document);
  const problems = new Set<string>();
  const produced = new Set<string>();
  for (const answer of answers) {
    const { template, method, operation } = operationFor(document, templates, answer);
    const request = `${answer.method} ${answer.path}`;
    if (!template) {
      if (answer.status !== 404) problems.add(`${request} answered ${answer.status}, not 404`);
      continue;
    }
    if (!operation) {
      if (answer.status !== 405) problems.add(`${request} answered ${answer.status}, not 405`);
      continue;
    }
    const key = `${method?.toUpperCase()} ${template} ${answer.status}`;
    if (!(String(answer.status) in operation.responses)) {
      problems.add(`${key} is not documented (e.g. ${request})`);
    }
    produced.add(key);
  }
  for (const [template, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method] as Operation | undefined;
      for (const status of Object.keys(operation?.responses ?? {})) {
        const key = `${method.toUpperCase()} ${template} ${status}`;
        if (!produced.has(key)) problems.add(`${key} is documented but no test produced it`);
      }
    }
  }
  return [...problems];
}
