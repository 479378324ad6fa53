import type { Db } from './connection.js';
import { tx } from './connection.js';

/**
 * A unit of work over the server's one SQLite database: `run` is one IMMEDIATE transaction shared by every
 * repository on that database (nested calls become savepoints of the outer one). Services take this instead
 * of the raw `Db`, so they stay testable with an in-memory stand-in.
 */
export class SqliteUnitOfWork {
  constructor(private readonly db: Db) {}

  run<T>(work: () => T): T {
    return tx(this.db, work);
  }
}
