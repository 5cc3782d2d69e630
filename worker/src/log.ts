/** Writes one structured JSON log line. Callers never pass tokens, passwords or secrets. */
export function logEvent(
  event: string,
  fields: Record<string, unknown>,
  level: "log" | "error" = "log",
): void {
  console[level](JSON.stringify({ event, ...fields }));
}

const D1_CODE = /^(D1_[A-Z_]+)\b/;
const SQLITE_CODE = /\bSQLITE_[A-Z_]+\b/g;

/**
 * What a log may say about an error: its class and codes, never its message or stack.
 * D1 and drizzle put SQL, bound values (todo text, user ids) and rows in messages.
 */
export function errorSummary(error: unknown): { error: string; cause?: string; code?: string } {
  const summary: { error: string; cause?: string; code?: string } = { error: className(error) };
  let root = error;
  while (root instanceof Error && root.cause !== undefined) root = root.cause;
  if (root !== error) summary.cause = className(root);
  const message = root instanceof Error ? root.message : "";
  const codes = [D1_CODE.exec(message)?.[1], ...(message.match(SQLITE_CODE) ?? []).slice(-1)];
  const code = codes.filter(Boolean).join(" ");
  if (code) summary.code = code;
  return summary;
}

/** `name` unless a subclass left it at "Error" (drizzle's query error does). */
const className = (error: unknown): string =>
  error instanceof Error
    ? error.name === "Error"
      ? error.constructor.name
      : error.name
    : typeof error;
