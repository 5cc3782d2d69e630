import { isRefusedBookmark } from "./bookmark.ts";
import { withTransientRetry } from "./transient.ts";

/** One call to D1 (a statement or a batch): how long it took and what it read. */
export type RoundTrip = { ms: number; rowsRead: number };

type Options = {
  /** Called after every round trip, e.g. to add a `Server-Timing` entry. */
  onRoundTrip?: (roundTrip: RoundTrip) => void;
};

const READ_ONLY = /^\s*select\b/i;

/**
 * A request's D1 session (Sessions API) behind the two methods drizzle's D1 driver
 * calls, `prepare` and `batch`. It is the one place every round trip passes through:
 * each is timed, transient errors are retried (reads, and writes run inside
 * {@link D1Client.repeatable}), and a bookmark D1 refuses restarts the session at the primary.
 */
export class D1Client {
  readonly roundTrips: RoundTrip[] = [];
  #session: D1DatabaseSession;
  #startedAtClientBookmark: boolean;
  #writesRepeatable = false;

  constructor(
    private readonly database: D1Database,
    start: D1SessionBookmark | D1SessionConstraint,
    private readonly options: Options = {},
  ) {
    this.#startedAtClientBookmark = start !== "first-primary" && start !== "first-unconstrained";
    try {
      this.#session = database.withSession(start);
    } catch (error) {
      if (!this.#startedAtClientBookmark) throw error;
      this.#session = this.#restartAtPrimary();
    }
  }

  prepare(sql: string): TrackedStatement {
    return new TrackedStatement(this, sql, []);
  }

  batch<T = unknown>(statements: TrackedStatement[]): Promise<D1Result<T>[]> {
    return this.roundTrip(
      (session) => session.batch<T>(statements.map((statement) => statement.on(session))),
      statements.every((statement) => READ_ONLY.test(statement.sql)),
    );
  }

  /** The latest bookmark of the session: pass it back to read this request's writes. */
  bookmark(): string | null {
    return this.#session.getBookmark();
  }

  /** drizzle's D1 driver only calls `prepare` and `batch`, which this class provides. */
  asD1Database(): D1Database {
    return this as unknown as D1Database;
  }

  /** Runs `work` whose writes are safe to repeat (keyed), so they are retried like reads. */
  async repeatable<T>(work: () => Promise<T>): Promise<T> {
    this.#writesRepeatable = true;
    try {
      return await work();
    } finally {
      this.#writesRepeatable = false;
    }
  }

  /** @internal Used by {@link TrackedStatement}. Each attempt is a round trip of its own. */
  roundTrip<T>(run: (session: D1DatabaseSession) => Promise<T>, readOnly: boolean): Promise<T> {
    return withTransientRetry(
      () => this.#timed(() => this.#atUsableBookmark(run)),
      readOnly || this.#writesRepeatable,
    );
  }

  async #timed<T>(attempt: () => Promise<T>): Promise<T> {
    const started = performance.now();
    let rowsRead = 0;
    try {
      const result = await attempt();
      rowsRead = rowsReadOf(result);
      return result;
    } finally {
      const roundTrip = { ms: performance.now() - started, rowsRead };
      this.roundTrips.push(roundTrip);
      this.options.onRoundTrip?.(roundTrip);
    }
  }

  async #atUsableBookmark<T>(run: (session: D1DatabaseSession) => Promise<T>): Promise<T> {
    try {
      return await run(this.#session);
    } catch (error) {
      // Only the session's first round trip can meet a refused bookmark, and it ran nothing.
      if (!this.#startedAtClientBookmark || !isRefusedBookmark(error)) throw error;
      this.#session = this.#restartAtPrimary();
      return await run(this.#session);
    } finally {
      this.#startedAtClientBookmark = false;
    }
  }

  #restartAtPrimary(): D1DatabaseSession {
    this.#startedAtClientBookmark = false;
    return this.database.withSession("first-primary");
  }
}

/** Rows D1 reports having read for a statement's or a batch's results (0 when it does not say). */
function rowsReadOf(result: unknown): number {
  const results = Array.isArray(result) ? result : [result];
  let rowsRead = 0;
  for (const item of results) {
    const reported = (item as Partial<D1Result> | null)?.meta?.rows_read;
    if (typeof reported === "number") rowsRead += reported;
  }
  return rowsRead;
}

/** A statement with its SQL and parameters, prepared on the session only when it runs. */
export class TrackedStatement {
  constructor(
    private readonly client: D1Client,
    readonly sql: string,
    readonly params: unknown[],
  ) {}

  bind(...params: unknown[]): TrackedStatement {
    return new TrackedStatement(this.client, this.sql, params);
  }

  /** @internal This statement prepared on `session`. */
  on(session: D1DatabaseSession): D1PreparedStatement {
    return session.prepare(this.sql).bind(...this.params);
  }

  all<T = Record<string, unknown>>() {
    return this.#run((statement) => statement.all<T>());
  }

  run<T = Record<string, unknown>>() {
    return this.#run((statement) => statement.run<T>());
  }

  first<T = Record<string, unknown>>(column?: string) {
    return this.#run((statement) =>
      column === undefined ? statement.first<T>() : statement.first<T>(column),
    );
  }

  raw<T = unknown[]>() {
    return this.#run((statement) => statement.raw<T>());
  }

  #run<T>(execute: (statement: D1PreparedStatement) => Promise<T>): Promise<T> {
    return this.client.roundTrip((session) => execute(this.on(session)), READ_ONLY.test(this.sql));
  }
}
