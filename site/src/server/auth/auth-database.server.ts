import { type TimingEntry, timed } from "../http/server-timing.server.ts";
import { currentRequest } from "../request-context.server.ts";

/**
 * The auth database as Better Auth sees it: one object for the isolate's
 * Better Auth instance, which sends each query through the D1 session of the
 * request running now (read replicas allowed on page views, the primary for
 * form posts) and records each round trip as `auth-d1` in `Server-Timing`.
 * Outside a request it is the binding itself. The binding is looked up on each
 * query, so an `env` overridden for a request (`withEnv`) is honoured.
 *
 * Better Auth's D1 dialect uses `prepare(sql).bind(...).all()` and, for schema
 * checks we turn off, `batch`; it recognises D1 by `prepare`, `batch` and `exec`.
 */
export function authDatabase(binding: () => D1Database): D1Database {
  const target = () => {
    const request = currentRequest();
    const db = binding();
    if (!request) return { db, timings: undefined };
    request.authSession ??= db.withSession(request.authStart);
    return { db: request.authSession, timings: request.timings };
  };
  const database = {
    prepare(sql: string) {
      const { db, timings } = target();
      return timedStatement(db.prepare(sql), timings);
    },
    batch(statements: TimedStatement[]) {
      const { db, timings } = target();
      return timed(timings, "auth-d1", () =>
        db.batch(statements.map((statement) => statement.statement)),
      );
    },
    exec: (sql: string) => binding().exec(sql),
  };
  return database as unknown as D1Database;
}

/**
 * Sends the rest of this request's auth reads to the primary, when they did not
 * start there. True when it changed anything (the caller may read again).
 */
export function readAuthAtPrimary(): boolean {
  const request = currentRequest();
  if (!request || request.authStart === "first-primary") return false;
  request.authStart = "first-primary";
  request.authSession = undefined;
  return true;
}

type TimedStatement = ReturnType<typeof timedStatement>;

function timedStatement(statement: D1PreparedStatement, timings: TimingEntry[] | undefined) {
  const run = <T>(work: () => Promise<T>) => timed(timings, "auth-d1", work);
  return {
    statement,
    bind: (...values: unknown[]) => timedStatement(statement.bind(...values), timings),
    all: () => run(() => statement.all()),
    first: (column?: string) => run(() => (column ? statement.first(column) : statement.first())),
    run: () => run(() => statement.run()),
    raw: () => run(() => statement.raw()),
  };
}
