import { type Column, DrizzleQueryError, fillPlaceholders, type Query } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { D1Client, TrackedStatement } from "./client.ts";

const NOT_FOR_QUERIES = () => {
  throw new Error("sqlBuilder only builds SQL; run statements through a request's D1Client");
};

/**
 * drizzle with no database, for building a statement's SQL once per isolate
 * (`sql.placeholder(...)` for its values). drizzle's own `.prepare()` ties a statement to
 * the database it was built on, and every request has its own D1 session.
 */
export const sqlBuilder = drizzle({ prepare: NOT_FOR_QUERIES, batch: NOT_FOR_QUERIES } as never);

type Buildable = { toSQL(): Query; all(): Promise<unknown> };
/** The row drizzle's builder would return; `never` for a statement that returns none. */
type RowOf<Built extends Buildable> =
  Awaited<ReturnType<Built["all"]>> extends (infer Row)[] ? Row : never;
type Fields = Record<string, Column>;
export type Placeholders = Record<string, unknown>;

/**
 * A statement whose SQL drizzle built once, run on a request's {@link D1Client} with the
 * request's values bound, and whose rows are mapped as drizzle maps them
 * (e.g. a boolean column from 0/1).
 */
export class PreparedSql<Row> {
  readonly #query: Query;
  readonly #fields: Fields;

  /** @param fields - the selected or returned columns, by result key; none if no rows are read */
  constructor(query: Buildable, fields: Fields = {}) {
    this.#query = query.toSQL();
    this.#fields = fields;
  }

  /** This statement with `values` for its placeholders, on the request's client. */
  on(d1: D1Client, values: Placeholders): TrackedStatement {
    return d1.prepare(this.#query.sql).bind(...fillPlaceholders(this.#query.params, values));
  }

  /** Runs this statement alone; its errors are wrapped as drizzle wraps a query's. */
  async all(d1: D1Client, values: Placeholders): Promise<Row[]> {
    const statement = this.on(d1, values);
    try {
      return this.rows(await statement.all());
    } catch (error) {
      throw new DrizzleQueryError(this.#query.sql, statement.params, error as Error);
    }
  }

  /** The rows of this statement's result, e.g. one of a batch's. */
  rows(result: D1Result): Row[] {
    return result.results.map((row) => this.#mapRow(row as Record<string, unknown>));
  }

  #mapRow(row: Record<string, unknown>): Row {
    const mapped: Record<string, unknown> = {};
    for (const key in this.#fields) {
      const column = this.#fields[key] as Column;
      const value = row[column.name];
      mapped[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
    }
    return mapped as Row;
  }
}

/** {@link PreparedSql} typed by the rows drizzle's builder would return. */
export const prepared = <Built extends Buildable>(query: Built, fields?: Fields) =>
  new PreparedSql<RowOf<Built>>(query, fields);

/** Builds a statement the first time a variant is asked for, then keeps it for the isolate. */
export function preparedOnce<Key, Row>(build: (key: Key) => PreparedSql<Row>) {
  const built = new Map<Key, PreparedSql<Row>>();
  return (key: Key): PreparedSql<Row> => {
    let statement = built.get(key);
    if (statement === undefined) {
      statement = build(key);
      built.set(key, statement);
    }
    return statement;
  };
}
