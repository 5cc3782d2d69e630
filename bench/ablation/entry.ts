/**
 * The ablation Worker of `npm run bench:profile:workerd`: the API composed as
 * worker/src/index.ts composes it, except that a request's `x-bench-skip` header (stage
 * names, comma-separated) leaves those stages out of that request, so one isolate on one
 * D1 serves every variant. Bench only.
 */
import { Hono, type MiddlewareHandler } from "hono";
import { requestId } from "hono/request-id";
import { timing } from "hono/timing";
import { bearerAuth } from "../../worker/src/auth/bearer.ts";
import { todoStore } from "../../worker/src/db/todos.ts";
import type { AppEnv } from "../../worker/src/env.ts";
import { errorResponse, notFound, onError } from "../../worker/src/errors.ts";
import { apiHeaders } from "../../worker/src/middleware/api-headers.ts";
import { bodySize } from "../../worker/src/middleware/body-size.ts";
import { d1Session } from "../../worker/src/middleware/d1-session.ts";
import { requestLog } from "../../worker/src/middleware/request-log.ts";
import { routeGuard } from "../../worker/src/middleware/route-guard.ts";
import { traceContext } from "../../worker/src/middleware/trace-context.ts";
import { validate } from "../../worker/src/middleware/validate.ts";
import { health } from "../../worker/src/routes/health.ts";
import { me } from "../../worker/src/routes/me.ts";
import { openapi } from "../../worker/src/routes/openapi.ts";
import { todos } from "../../worker/src/routes/todos.ts";
import { todosExport } from "../../worker/src/routes/todos-export.ts";
import { ListQuery } from "../../worker/src/schemas/todo.ts";
import { REQUEST_ID_HEADER, REQUEST_ID_MAX_LENGTH } from "../../worker/src/trace/trace-context.ts";
import { SKIP_HEADER, type Stage } from "./stages.ts";

const skips = (c: { req: { header(name: string): string | undefined } }, stage: Stage) =>
  c.req.header(SKIP_HEADER)?.split(",").includes(stage) ?? false;
const unless =
  (stage: Stage, middleware: MiddlewareHandler<AppEnv>): MiddlewareHandler<AppEnv> =>
  (c, next) =>
    skips(c, stage) ? next() : middleware(c, next);
const serverTiming = timing({ totalDescription: "" });
/** Without Server-Timing, the metrics d1Session records still need somewhere to go. */
const withoutTiming: MiddlewareHandler<AppEnv> = async (c, next) => {
  c.set("metric", { headers: [], timers: new Map() });
  await next();
};

// The list's statements as the API sends them, for the variant without drizzle's row mapping.
const PAGE = `select "seq", "id", "title", "description", "completed", "created_at", "updated_at" from "todos" where "todos"."user_id" = ? order by "todos"."seq" desc limit ?`;
const COUNTS = `select "active", "completed" from "todo_counts" where "todo_counts"."user_id" = ?`;
type Row = Record<string, unknown> & { completed: number; created_at: string; updated_at: string };
const handMapped = ({ seq: _seq, created_at, updated_at, completed, ...row }: Row) => ({
  ...row,
  completed: completed === 1,
  createdAt: created_at,
  updatedAt: updated_at,
});
let serialised: string | undefined;

const app = new Hono<AppEnv>();
app.use(
  (c, next) => (skips(c, "timing") ? withoutTiming(c, next) : serverTiming(c, next)),
  unless(
    "request-id",
    requestId({ headerName: REQUEST_ID_HEADER, limitLength: REQUEST_ID_MAX_LENGTH }),
  ),
  traceContext(),
  unless("log", requestLog()),
  apiHeaders(),
  unless("route-guard", routeGuard(app)),
);
app.use("/api/*", bearerAuth(), bodySize(), d1Session());
const validateQuery = validate("query", ListQuery);
app.get(
  "/api/todos",
  (c, next) => (skips(c, "validation") ? next() : validateQuery(c as never, next)),
  async (c) => {
    const query = skips(c, "validation")
      ? { status: "all" as const, limit: 50 }
      : (c.req as unknown as { valid(target: "query"): ListQuery }).valid("query");
    let page: unknown;
    if (skips(c, "mapping")) {
      const db = c.var.db;
      const [rows, counts] = await db.batch<Row>([
        db.prepare(PAGE).bind(c.var.userId, query.limit + 1),
        db.prepare(COUNTS).bind(c.var.userId),
      ]);
      const { active = 0, completed = 0 } = (counts?.results[0] ?? {}) as Record<string, number>;
      page = {
        items: rows?.results.slice(0, query.limit).map(handMapped),
        nextCursor: null,
        counts: { active, completed },
      };
    } else {
      page = await todoStore(c.var.db, c.var.userId).list(query);
    }
    if (!skips(c, "serialisation")) return c.json(page as object, 200);
    serialised ??= JSON.stringify(page);
    return c.body(serialised, 200, { "Content-Type": "application/json" });
  },
);
app
  .route("/health", health)
  .route("/openapi.json", openapi(app))
  .route("/api/me", me)
  .route("/api/todos/export", todosExport)
  .route("/api/todos", todos);
app.notFound((c) => errorResponse(c, notFound()));
app.onError(onError);

export default { fetch: app.fetch };
