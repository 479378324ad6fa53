/**
 * Kysely as the query builder for better-sqlite3 (`SqliteDialect`): dynamic queries are built typed
 * against `tables.ts`, compiled, and run synchronously by `SqlRunner` — the library's read side is
 * synchronous (its callers are), and better-sqlite3 answers a statement faster than a promise round trip.
 * Compiled SQL keeps one shape per query form (lists travel as one JSON parameter), so a handful of prepared
 * statements serve every request.
 */
import type Database from 'better-sqlite3';
import { Kysely, SqliteDialect, sql, type Compilable, type RawBuilder } from 'kysely';
import type { Db } from './connection.js';
import type { LibraryTables } from './tables.js';

export type LibraryQueryBuilder = Kysely<LibraryTables>;

export function createQueryBuilder(db: Db): LibraryQueryBuilder {
  return new Kysely<LibraryTables>({ dialect: new SqliteDialect({ database: db }) });
}

/** `(SELECT value FROM json_each(?))`: a list as one parameter — any length, one statement shape. */
export function jsonList<T extends string | number>(values: readonly T[]): RawBuilder<T> {
  return sql<T>`(SELECT value FROM json_each(${JSON.stringify(values)}))`;
}

export type NamedParameters = Record<string, string | number | bigint | Buffer | null>;

/** A Kysely query, or a raw `sql` statement where hand-written SQL is the simpler form. */
export type Statement<R> = Compilable<R> | RawBuilder<R>;

/** Runs Kysely queries synchronously on better-sqlite3, each distinct SQL text prepared once. */
export class SqlRunner {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(
    private readonly db: Db,
    private readonly qb: LibraryQueryBuilder,
    private readonly maxStatements = 256,
  ) {}

  /**
   * `named` binds `@name` parameters of fragments compiled to text once (e.g. `@viewer`) alongside the
   * query's positional ones; better-sqlite3 ignores names a statement does not use.
   */
  all<R>(query: Statement<R>, named: NamedParameters = {}): R[] {
    const { text, parameters } = this.compile(query);
    return this.statement(text)
      .pluck(false)
      .all(...parameters, named) as R[];
  }

  get<R>(query: Statement<R>, named: NamedParameters = {}): R | undefined {
    const { text, parameters } = this.compile(query);
    return this.statement(text)
      .pluck(false)
      .get(...parameters, named) as R | undefined;
  }

  /** The first column of every row. */
  pluck<T>(query: Statement<unknown>, named: NamedParameters = {}): T[] {
    const { text, parameters } = this.compile(query);
    // pluck() is a mode of the (shared, cached) statement: set it on every use, never assume it.
    return this.statement(text)
      .pluck(true)
      .all(...parameters, named) as T[];
  }

  run(query: Statement<unknown>, named: NamedParameters = {}): Database.RunResult {
    const { text, parameters } = this.compile(query);
    return this.statement(text).run(...parameters, named);
  }

  private compile(query: Statement<unknown>): { text: string; parameters: readonly unknown[] } {
    const compiled = 'isRawBuilder' in query ? query.compile(this.qb) : query.compile();
    return { text: compiled.sql, parameters: compiled.parameters };
  }

  private statement(text: string): Database.Statement {
    let stmt = this.statements.get(text);
    if (stmt) {
      // Most recently used last: the oldest entry is the one to drop.
      this.statements.delete(text);
    } else {
      stmt = this.db.prepare(text);
      if (this.statements.size >= this.maxStatements) this.statements.delete(this.statements.keys().next().value!);
    }
    this.statements.set(text, stmt);
    return stmt;
  }
}
