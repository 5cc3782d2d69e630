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
type Session = {
  prepare(sql: string): Statement;
  batch(statements: Statement[]): Promise<unknown[]>;
  getBookmark(): string | null;
};
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

/** A prepared statement whose executions are round trips through `execute`. */
class DelayedStatement implements Statement {
  readonly real: Statement;
  readonly read: boolean;
  readonly sql: string;
  private readonly execute: Execute;

  constructor(real: Statement, sql: string, execute: Execute) {
    this.real = real;
    this.read = isRead(sql);
    this.sql = sql;
    this.execute = execute;
  }

  bind(...values: unknown[]): Statement {
    return new DelayedStatement(this.real.bind(...values), this.sql, this.execute);
  }
  first(column?: string) {
    return this.execute(this.read, this.sql, () => this.real.first(column));
  }
  run() {
    return this.execute(this.read, this.sql, () => this.real.run());
  }
  all() {
    return this.execute(this.read, this.sql, () => this.real.all());
  }
  raw(options?: unknown) {
    return this.execute(this.read, this.sql, () => this.real.raw(options));
  }
}

const unwrap = (statements: Statement[]) =>
  statements.map((statement) =>
    statement instanceof DelayedStatement ? statement.real : statement,
  );
const batchReads = (statements: Statement[]) =>
  statements.every((statement) => statement instanceof DelayedStatement && statement.read);
const batchSql = (statements: Statement[]) =>
  `batch of ${statements.length}: ${statements[0] instanceof DelayedStatement ? statements[0].sql : ""}`;

/**
 * A session (`withSession`): its first round trip goes to the primary when it starts
 * `first-primary`, every write goes to the primary, and every other read to the replica,
 * waiting there until the replica has applied the session's bookmark.
 */
class DelayedSession implements Session {
  private readonly real: Session;
  private readonly context: TripContext;
  private bookmark: string | null;
  private primaryFirst: boolean;

  constructor(real: Session, constraint: string | undefined, context: TripContext) {
    this.real = real;
    this.context = context;
    this.primaryFirst = constraint === "first-primary";
    this.bookmark =
      constraint && constraint !== "first-primary" && constraint !== "first-unconstrained"
        ? constraint
        : null;
  }

  private readonly execute: Execute = async (read, sql, call) => {
    const { clock } = this.context;
    const config = this.context.config();
    const toPrimary = !config.replication || !read || this.primaryFirst;
    this.primaryFirst = false;
    const route: Route = toPrimary
      ? { served: "primary", lagWaitMs: 0 }
      : { served: "replica", lagWaitMs: clock.waitMs(this.bookmark, Date.now(), config.lagMs) };
    const result = await roundTrip(this.context, route, sql, call);
    const after = this.real.getBookmark();
    if (after) {
      if (!read) clock.record(after, Date.now());
      this.bookmark = after;
    }
    return result;
  };

  prepare(sql: string): Statement {
    return new DelayedStatement(this.real.prepare(sql), sql, this.execute);
  }
  batch(statements: Statement[]) {
    return this.execute(batchReads(statements), batchSql(statements), () =>
      this.real.batch(unwrap(statements)),
    );
  }
  getBookmark() {
    return this.real.getBookmark();
  }
}

/**
 * The binding itself, one per binding for the isolate's life, so code that keeps it (as
 * Better Auth's database does) is delayed and counted like code that reads it per request.
 * `real` is the binding of the request running now. Calls outside a session go to the
 * primary, as they do on a D1 database with read replication enabled.
 */
export class DelayedDatabase implements Database {
  private readonly real: () => Database;
  private readonly context: TripContext;

  constructor(real: () => Database, context: TripContext) {
    this.real = real;
    this.context = context;
  }

  private readonly execute: Execute = (_read, sql, call) =>
    roundTrip(this.context, { served: "primary", lagWaitMs: 0 }, sql, call);

  prepare(sql: string): Statement {
    return new DelayedStatement(this.real().prepare(sql), sql, this.execute);
  }
  batch(statements: Statement[]) {
    return this.execute(false, batchSql(statements), () => this.real().batch(unwrap(statements)));
  }
  exec(sql: string) {
    return this.execute(false, sql, () => this.real().exec(sql));
  }
  withSession(constraint?: string): Session {
    const real = this.real();
    if (!real.withSession) throw new Error("this D1 binding has no withSession()");
    return new DelayedSession(real.withSession(constraint), constraint, this.context);
  }
}
