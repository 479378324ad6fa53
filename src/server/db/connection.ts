import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { migrate } from './migrate.js';

export type Db = Database.Database;

/**
 * Opens the server's database in WAL mode (readers never block the single writer) and brings the schema
 * up to date. `:memory:` is accepted for unit tests.
 */
export function openDatabase(file: string): Db {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // The library is read at random by id (hashed ids): a larger page cache and mmap keep it in memory.
  db.pragma('cache_size = -65536');
  db.pragma('mmap_size = 268435456');
  db.pragma('temp_store = MEMORY');
  migrate(db);
  return db;
}

/** Runs `fn` in one IMMEDIATE transaction: every write that spans steps goes through here. */
export function tx<T>(db: Db, fn: () => T): T {
  return db.transaction(fn).immediate();
}

/** Runs `fn` as one transaction: the port services take instead of the database (`transactionOf(db)`). */
export type RunInTransaction = <T>(fn: () => T) => T;

export function transactionOf(db: Db): RunInTransaction {
  return (fn) => tx(db, fn);
}
