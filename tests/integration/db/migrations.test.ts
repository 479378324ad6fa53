import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../src/server/db/migrate.js';
import { migrations } from '../../../src/server/db/migrations/index.js';
import { openDatabase } from '../../../src/server/db/connection.js';

function tempDb(): Database.Database {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stowaway-mig-'));
  return new Database(path.join(dir, 'db.sqlite'));
}

const version = (db: Database.Database) => db.pragma('user_version', { simple: true }) as number;

describe('migrations', () => {
  it('are numbered 1..n without gaps', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
  });

  it('001 creates the base schema on an empty database', () => {
    const db = tempDb();
    migrate(db, 1);
    expect(version(db)).toBe(1);
    db.prepare(`INSERT INTO users (id, name, policy, date_created) VALUES ('u1', 'Ann', '{}', '2026-01-01')`).run();
    db.prepare(
      `INSERT INTO items (id, type, name, sort_name, date_created, date_modified) VALUES ('i1','Movie','M','m','2026','2026')`,
    ).run();
    db.prepare(`INSERT INTO user_data (user_id, item_id, played) VALUES ('u1','i1',1)`).run();
    expect(() => db.prepare(`INSERT INTO users (id, name, policy, date_created) VALUES ('u2', 'ann', '{}', 'x')`).run()).toThrow(/UNIQUE/);
  });

  it('002 adds sync tables on a 001 database with data, keeping that data', () => {
    const db = tempDb();
    migrate(db, 1);
    db.prepare(`INSERT INTO users (id, name, policy, date_created) VALUES ('u1', 'Ann', '{}', '2026-01-01')`).run();
    db.prepare(
      `INSERT INTO items (id, type, name, sort_name, date_created, date_modified) VALUES ('i1','Movie','M','m','2026','2026')`,
    ).run();
    migrate(db, 2);
    expect(version(db)).toBe(2);
    expect(db.prepare('SELECT name FROM users').all()).toEqual([{ name: 'Ann' }]);
    db.prepare(
      `INSERT INTO sync_jobs (id, user_id, target_id, name, quality, date_created, date_last_modified) VALUES ('j1','u1','t','J','high','x','x')`,
    ).run();
    db.prepare(
      `INSERT INTO sync_job_items (id, job_id, item_id, target_id, item_name, status, job_item_index, date_created, date_modified)
       VALUES ('ji1','j1','i1','t','M','Queued',0,'x','x')`,
    ).run();
    // Deleting a job deletes its items (one statement, no orphans).
    db.prepare(`DELETE FROM sync_jobs WHERE id = 'j1'`).run();
    expect(db.prepare('SELECT COUNT(*) AS n FROM sync_job_items').get()).toEqual({ n: 0 });
  });

  it('003 adds camera uploads on a 002 database with data; a scanned upload belongs to its uploader', () => {
    const db = tempDb();
    migrate(db, 2);
    db.prepare(`INSERT INTO users (id, name, policy, date_created) VALUES ('u1', 'Ann', '{}', '2026-01-01')`).run();
    db.prepare(
      `INSERT INTO items (id, type, name, sort_name, path, date_created, date_modified) VALUES ('i1','Movie','M','m','/media/m.mp4','2026','2026')`,
    ).run();
    db.prepare(
      `INSERT INTO sync_jobs (id, user_id, target_id, name, quality, date_created, date_last_modified) VALUES ('j1','u1','t','J','high','x','x')`,
    ).run();
    migrate(db, 3);
    expect(version(db)).toBe(3);
    expect(db.prepare('SELECT id FROM sync_jobs').all()).toEqual([{ id: 'j1' }]);
    db.prepare(
      `INSERT INTO camera_uploads (id, device_id, user_id, name, size, status, stored_path, date_created, date_modified)
       VALUES ('up1', 'd1', 'u1', 'a.jpg', 3, 'Complete', '/cam/Ann/d1/a.jpg', 'x', 'x')`,
    ).run();
    db.prepare(
      `INSERT INTO items (id, type, name, sort_name, path, date_created, date_modified) VALUES ('p1','Photo','a','a','/cam/Ann/d1/a.jpg','2026','2026')`,
    ).run();
    const owners = db.prepare('SELECT id, owner_user_id AS owner FROM items ORDER BY id').all();
    expect(owners).toEqual([
      { id: 'i1', owner: null },
      { id: 'p1', owner: 'u1' },
    ]);
  });

  it('openDatabase runs every migration, uses WAL, and is idempotent on reopen', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stowaway-mig-'));
    const file = path.join(dir, 'x.db');
    const db = openDatabase(file);
    expect(version(db)).toBe(migrations.length);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    const again = openDatabase(file);
    expect(version(again)).toBe(migrations.length);
    again.close();
  });

  it('a failing migration leaves the database at the previous version', () => {
    const db = tempDb();
    migrate(db, 1);
    db.exec('CREATE TABLE sync_jobs (id TEXT)'); // makes 002 fail part-way
    expect(() => migrate(db)).toThrow();
    expect(version(db)).toBe(1);
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name = 'conversion_outputs'`).get()).toBeUndefined();
  });

  it('004 adds device custom names and the must-change-password flag on a 003 database with data', () => {
    const db = tempDb();
    migrate(db, 3);
    db.prepare(`INSERT INTO users (id, name, policy, date_created) VALUES ('u1', 'Ann', '{}', '2026-01-01')`).run();
    db.prepare(`INSERT INTO devices (id, name, date_last_activity) VALUES ('d1', 'Chrome on Linux', '2026-01-01')`).run();
    db.prepare(`INSERT INTO device_users (device_id, user_id, date_last_seen) VALUES ('d1', 'u1', '2026-01-01')`).run();
    migrate(db, 4);
    expect(version(db)).toBe(4);
    expect(db.prepare('SELECT name, custom_name FROM devices').all()).toEqual([{ name: 'Chrome on Linux', custom_name: null }]);
    expect(db.prepare('SELECT name, must_change_password FROM users').all()).toEqual([{ name: 'Ann', must_change_password: 0 }]);
    expect(db.prepare('SELECT user_id FROM device_users').all()).toEqual([{ user_id: 'u1' }]);
  });
  it('005 adds the source duration to conversion outputs on a 004 database with data (unknown for old rows)', () => {
    const db = tempDb();
    migrate(db, 4);
    db.prepare(
      `INSERT INTO conversion_outputs (key, item_id, source_path, plan, status, date_created, date_modified)
       VALUES ('k1', 'i1', '/m/a.mkv', '{}', 'ready', '2026-01-01', '2026-01-01')`,
    ).run();
    migrate(db, 5);
    expect(version(db)).toBe(5);
    expect(db.prepare('SELECT key, status, source_seconds FROM conversion_outputs').all()).toEqual([
      { key: 'k1', status: 'ready', source_seconds: null },
    ]);
  });
});
