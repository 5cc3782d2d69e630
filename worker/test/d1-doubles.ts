/** A real D1 database, recording the argument of every `withSession` call. */
export function recordingD1(
  database: D1Database,
  calls: string[] = [],
): { db: D1Database; calls: string[] } {
  const db = {
    withSession(start: string) {
      calls.push(start);
      return database.withSession(start);
    },
  } as unknown as D1Database;
  return { db, calls };
}

type Failure = () => Error;

/**
 * A real D1 database whose sessions fail the next `failures` round trips with
 * `error()` (a statement run or a batch), then work as usual. `withSession` may be
 * told to refuse bookmarks like D1 does for one it cannot serve.
 */
export function failingD1(options: {
  /** The real database behind the double: the user's shard's. */
  database: D1Database;
  failures: number;
  error: Failure;
  onlyForBookmarks?: boolean;
  /** Fail after the round trip ran, as when the answer is lost on its way back. */
  afterRunning?: boolean;
}): { db: D1Database; attempts: () => number } {
  let attempts = 0;
  let remaining = options.failures;
  const fail = (start: string) =>
    remaining > 0 &&
    (!options.onlyForBookmarks || (start !== "first-primary" && start !== "first-unconstrained"));
  const attempt = <T>(start: string, run: () => Promise<T>): Promise<T> => {
    attempts++;
    if (!fail(start)) return run();
    remaining--;
    if (options.afterRunning) return run().then(() => Promise.reject(options.error()));
    return Promise.reject(options.error());
  };
  const statement = (start: string, real: D1PreparedStatement): D1PreparedStatement =>
    ({
      bind: (...values: unknown[]) => statement(start, real.bind(...values)),
      all: () => attempt(start, () => real.all()),
      run: () => attempt(start, () => real.run()),
      raw: () => attempt(start, () => real.raw()),
      first: (column?: string) =>
        attempt(start, () => (column === undefined ? real.first() : real.first(column))),
      real,
    }) as unknown as D1PreparedStatement;
  const db = {
    withSession(start: string) {
      const session = options.database.withSession(start);
      return {
        prepare: (sql: string) => statement(start, session.prepare(sql)),
        batch: (statements: Array<{ real: D1PreparedStatement }>) =>
          attempt(start, () => session.batch(statements.map((s) => s.real))),
        getBookmark: () => session.getBookmark(),
      };
    },
  } as unknown as D1Database;
  return { db, attempts: () => attempts };
}
