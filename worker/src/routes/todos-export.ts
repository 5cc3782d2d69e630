import { Hono } from "hono";
import { accepts } from "hono/accepts";
import { describeRoute } from "hono-openapi";
import * as z from "zod/mini";
import type { AppEnv } from "../env.ts";
import { type ExportFormat, exportTodos } from "../export/todo-export.ts";
import { errorSummary, logEvent } from "../log.ts";
import { validate } from "../middleware/validate.ts";
import { bookmarkParameter, D1_ANSWER_HEADERS, errors, headers } from "../openapi/responses.ts";
import { responseSchema } from "../openapi/schemas.ts";
import { ExportQuery, Todo } from "../schemas/todo.ts";

const CONTENT_TYPE: Record<ExportFormat, string> = {
  json: "application/json; charset=utf-8",
  csv: "text/csv; charset=utf-8; header=present",
};

/** `format` when given, else what `Accept` prefers of JSON and CSV, else JSON. */
function formatOf(
  c: Parameters<typeof accepts>[0],
  format: ExportFormat | undefined,
): ExportFormat {
  if (format) return format;
  const preferred = accepts(c, {
    header: "Accept",
    supports: ["application/json", "text/csv"],
    default: "application/json",
  });
  return preferred === "text/csv" ? "csv" : "json";
}

/** The caller's whole list as a download. Mounted behind `bearerAuth`, before `/api/todos/:id`. */
export const todosExport = new Hono<AppEnv>().get(
  "/",
  describeRoute({
    operationId: "exportTodos",
    summary: "Download all of the caller's todos, as JSON or CSV",
    description:
      "Streams every todo of the caller, newest first, read in pages of 500. JSON (an array of `Todo`) unless `format=csv`, or, without `format`, an `Accept` header preferring `text/csv`. CSV follows RFC 4180 (header row `id,title,description,completed,createdAt,updatedAt`, CRLF line ends, quotes doubled, a cell quoted when it holds a comma, quote, CR or LF); a cell starting with `=`, `+`, `-`, `@`, a tab or a CR gets a leading `'` so spreadsheets show it as text. A database failure after the first page cuts the download short.",
    parameters: [bookmarkParameter],
    responses: {
      200: {
        description: "Every todo of the caller, as an attachment",
        headers: headers("Content-Disposition", ...D1_ANSWER_HEADERS),
        content: {
          "application/json": { schema: responseSchema(z.array(Todo)) },
          "text/csv": { schema: { type: "string" } },
        },
      },
      ...errors(400, 401, 500, 503),
    },
  }),
  validate("query", ExportQuery),
  async (c) => {
    const format = formatOf(c, c.req.valid("query").format);
    const { requestId, traceId } = c.var;
    const body = await exportTodos(c.var.db, c.var.userId, format, {
      onError: (error) =>
        logEvent("error", { requestId, traceId, ...errorSummary(error) }, "error"),
    });
    const day = new Date().toISOString().slice(0, 10);
    return c.body(body, 200, {
      "Content-Type": CONTENT_TYPE[format],
      "Content-Disposition": `attachment; filename="todos-${day}.${format}"`,
      Vary: "Accept",
    });
  },
);
