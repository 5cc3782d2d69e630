/**
 * A D1 binding that delays every round trip as a far primary, a near read replica and
 * replication lag would. Runs inside workerd, in front of the real local D1, which still
 * executes every statement and hands out real bookmarks. Bench only.
 */
import type { RoundTrip, SimConfig } from "./model.ts";

type Statement = {
  bind(...values: unknown[]): Statement;
  first(column?: string): Promise<unknown>;
  run(): Promise<unknown>;
  all(): Promise<unknown>;
  raw(options?: unknown): Promise<unknown>;
};
type Session = Pick<Database, "prepare" | "batch"> & { getBookmark(): string | null };
export type Database = {
  prepare(sql: string): Statement;
  batch(statements: Statement[]): Promise<unknown[]>;
  exec(sql: string): Promise<unknown>;
  withSession?(constraint?: string): Session;
};

const sleep = (ms: number) =>
  ms > 0 ? new Promise<void>((resolve) => setTimeout(resolve, ms)) : Promise.resolve();

/** Reads go to a replica; anything else (writes, PRAGMA, DDL) to the primary. */
export function isRead(sql: string): boolean {
  if (/^\s*select\b/i.test(sql)) return true;
  return /^\s*with\b/i.test(sql) && !/\b(insert|update|delete|replace)\b/i.test(sql);
}

/**
 * When each bookmark a write produced came into being, so a read at a bookmark can wait
 * until the replica has applied it (`lag` ms later). D1 bookmarks of one database are
 * fixed-width hex and grow with every write, so they compare as strings.
 */
export class ReplicaClock {
  private readonly produced: [bookmark: string, at: number][] = [];

  record(bookmark: string, at: number): void {
    this.produced.push([bookmark, at]);
    if (this.produced.length > 10_000) this.produced.shift();
  }

  /** How long a read at `bookmark` waits at the replica before it can be served. */
  waitMs(bookmark: string | null, now: number, lagMs: number): number {
    if (!bookmark) return 0;
    for (let index = this.produced.length - 1; index >= 0; index--) {
      const [recorded, at] = this.produced[index] as [string, number];
      if (recorded <= bookmark) return Math.max(0, at + lagMs - now);
    }
    return 0;
  }
}

/**
 * What every round trip on one binding shares, for the isolate's life: the settings as they
 * are now (read at each round trip), the binding's replica clock, and where to record it.
 */
export type TripContext = {
  binding: string;
  config: () => SimConfig;
  clock: ReplicaClock;
  record: (trip: RoundTrip) => void;
};

type Route = { served: RoundTrip["served"]; lagWaitMs: number };
type Execute = <T>(read: boolean, sql: string, call: () => Promise<T>) => Promise<T>;

const SQL_SHOWN = 60;

/** Waits as the route would, then runs the real call, and logs the round trip. */
async function roundTrip<T>(
  context: TripContext,
  route: Route,
  sql: string,
  call: () => Promise<T>,
): Promise<T> {
  const config = context.config();
  const start = Date.now();
  const primaryRtt = config.primaryRttByBinding?.[context.binding] ?? config.primaryRttMs;
  const rtt = route.served === "primary" ? primaryRtt : config.replicaRttMs;
  await sleep(route.lagWaitMs + rtt);
  try {
    return await call();
  } finally {
    const trip = { ...route, binding: context.binding, start, end: Date.now() };
    context.record({ ...trip, sql: sql.trim().slice(0, SQL_SHOWN) });
  }
}

/** What a delayed statement stands for, so that a `batch` of them can be routed and unwrapped. */
const delayedStatements = new WeakMap<Statement, { real: Statement; read: boolean; sql: string }>();

/** A prepared statement whose executions are round trips through `execute`. */
function delayedStatement(real: Statement, sql: string, execute: Execute): Statement {
  const read = isRead(sql);
  const statement: Statement = {
    bind: (...values) => delayedStatement(real.bind(...values), sql, execute),
    first: (column) => execute(read, sql, () => real.first(column)),
    run: () => execute(read, sql, () => real.run()),
    all: () => execute(read, sql, () => real.all()),
    raw: (options) => execute(read, sql, () => real.raw(options)),
  };
  delayedStatements.set(statement, { real, read, sql });
  return statement;
}

const unwrap = (statements: Statement[]) =>
  statements.map((statement) => delayedStatements.get(statement)?.real ?? statement);
const batchReads = (statements: Statement[]) =>
  statements.every((statement) => delayedStatements.get(statement)?.read);
const batchSql = ([first, ...rest]: Statement[]) =>
  `batch of ${rest.length + 1}: ${(first && delayedStatements.get(first)?.sql) ?? ""}`;

/**
 * A session (`withSession`): its first round trip goes to the primary when it starts
 * `first-primary`, every write goes to the primary, and every other read to the replica,
 * waiting there until the replica has applied the session's bookmark.
 */
function delayedSession(
  real: Session,
  constraint: string | undefined,
  context: TripContext,
): Session {
  let primaryFirst = constraint === "first-primary";
  let bookmark =
    constraint && constraint !== "first-primary" && constraint !== "first-unconstrained"
      ? constraint
      : null;
  const execute: Execute = async (read, sql, call) => {
    const config = context.config();
    const toPrimary = !config.replication || !read || primaryFirst;
    primaryFirst = false;
    const route: Route = toPrimary
      ? { served: "primary", lagWaitMs: 0 }
      : { served: "replica", lagWaitMs: context.clock.waitMs(bookmark, Date.now(), config.lagMs) };
    const result = await roundTrip(context, route, sql, call);
    const after = real.getBookmark();
    if (after) {
      if (!read) context.clock.record(after, Date.now());
      bookmark = after;
    }
    return result;
  };
  return {
    prepare: (sql) => delayedStatement(real.prepare(sql), sql, execute),
    batch: (statements) =>
      execute(batchReads(statements), batchSql(statements), () => real.batch(unwrap(statements))),
    getBookmark: () => real.getBookmark(),
  };
}

/**
 * The binding itself, one per binding for the isolate's life, so code that keeps it (as
 * Better Auth's database does) is delayed and counted like code that reads it per request.
 * `real` gives the binding of the request running now. Calls outside a session go to the
 * primary, as they do on a D1 database with read replication enabled.
 */
export function delayedDatabase(real: () => Database, context: TripContext): Database {
  const execute: Execute = (_read, sql, call) =>
    roundTrip(context, { served: "primary", lagWaitMs: 0 }, sql, call);
  return {
    prepare: (sql) => delayedStatement(real().prepare(sql), sql, execute),
    batch: (statements) =>
      execute(false, batchSql(statements), () => real().batch(unwrap(statements))),
    exec: (sql) => execute(false, sql, () => real().exec(sql)),
    withSession: (constraint) => {
      const db = real();
      if (!db.withSession) throw new Error("this D1 binding has no withSession()");
      return delayedSession(db.withSession(constraint), constraint, context);
    },
  };
}
