import { Hono } from "hono";
import { requestId } from "hono/request-id";
import { timing } from "hono/timing";
import { bearerAuth } from "./auth/bearer.ts";
import type { AppEnv } from "./env.ts";
import { errorResponse, notFound, onError } from "./errors.ts";
import { apiHeaders } from "./middleware/api-headers.ts";
import { bodySize } from "./middleware/body-size.ts";
import { d1Session } from "./middleware/d1-session.ts";
import { requestLog } from "./middleware/request-log.ts";
import { routeGuard } from "./middleware/route-guard.ts";
import { traceContext } from "./middleware/trace-context.ts";
import { health } from "./routes/health.ts";
import { me } from "./routes/me.ts";
import { openapi } from "./routes/openapi.ts";
import { todos } from "./routes/todos.ts";
import { todosExport } from "./routes/todos-export.ts";
import { scheduled } from "./scheduled.ts";
import { REQUEST_ID_HEADER, REQUEST_ID_MAX_LENGTH } from "./trace/trace-context.ts";

const app = new Hono<AppEnv>();

// `Server-Timing`: `total` for the whole request, one `d1` per round trip (added by d1Session).
// The caller's request id and trace are kept when well formed (docs/operating.md).
app.use(
  timing({ totalDescription: "" }),
  requestId({ headerName: REQUEST_ID_HEADER, limitLength: REQUEST_ID_MAX_LENGTH }),
  traceContext(),
  requestLog(),
  apiHeaders(),
  routeGuard(app),
);
app.use("/api/*", bearerAuth(), bodySize(), d1Session());

const routes = app
  .route("/health", health)
  .route("/openapi.json", openapi(app))
  .route("/api/me", me)
  // Before `/api/todos`, whose `/:id` would take "export" for an id.
  .route("/api/todos/export", todosExport)
  .route("/api/todos", todos);

app.notFound((c) => errorResponse(c, notFound()));
app.onError(onError);

export type AppType = typeof routes;
export { app };
export default { fetch: app.fetch, scheduled } satisfies ExportedHandler<Env>;
