/**
 * `Fields=SyncInfo` from the real sync tables: an item's most advanced job item on the calling device, and
 * a folder's percent as the mean of its items' progress on the one scale of jobStatus.ts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SyncJobItemStatus } from '../../../src/shared/api/sync.js';
import { itemProgress } from '../../../src/shared/jobStatus.js';
import { openDatabase, type Db } from '../../../src/server/db/connection.js';
import { SqlItemSyncInfo } from '../../../src/server/sync/itemSyncInfo.js';
import { LibraryRows } from '../../helpers/libraryRows.js';

const PHONE = 'phone-1';
const WHEN = '2024-05-01T00:00:00.000Z';

describe('item sync info', () => {
  let dir: string;
  let db: Db;
  let rows: LibraryRows;
  let userId: string;
  let series: string;
  let episodes: string[];

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'item-sync-info-'));
    db = openDatabase(path.join(dir, 'db.sqlite'));
    rows = new LibraryRows(db);
    userId = 'u1';
    db.prepare(`INSERT INTO users (id, name, policy, configuration, date_created) VALUES (?, 'ann', '{}', '{}', ?)`).run(userId, WHEN);
    const view = rows.view('tvshows');
    series = rows.series(view, 'Show');
    const season = rows.season(view, series, 1);
    episodes = [1, 2, 3, 4].map((e) => rows.episode(view, series, season, 1, e));
    db.prepare(
      `INSERT INTO sync_jobs (id, user_id, target_id, name, quality, requested_item_ids, date_created, date_last_modified)
       VALUES ('job1', ?, ?, 'Show', 'medium', ?, ?, ?)`,
    ).run(userId, PHONE, JSON.stringify([series]), WHEN, WHEN);
  });
  afterEach(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function jobItem(itemId: string, index: number, status: SyncJobItemStatus, progress = itemProgress(status)): void {
    db.prepare(
      `INSERT INTO sync_job_items (id, job_id, item_id, target_id, item_name, status, progress, job_item_index, date_created, date_modified)
       VALUES (?, 'job1', ?, ?, 'Episode', ?, ?, ?, ?, ?)`,
    ).run(`ji${index}`, itemId, PHONE, status, progress, index, WHEN, WHEN);
  }

  it('gives a folder whose items are only queued 0 %, as each of its items says', () => {
    episodes.forEach((id, i) => jobItem(id, i, 'Queued'));
    const info = new SqlItemSyncInfo(db).forItems(userId, PHONE, [series, episodes[0]!]);
    expect(info.get(episodes[0]!)).toMatchObject({ SyncStatus: 'Queued', SyncPercent: 0 });
    expect(info.get(series)).toEqual({ HasSyncJob: true, SyncStatus: 'Queued', IsSynced: false, SyncPercent: 0 });
  });

  it('averages its items on the one progress scale: synced 100, downloading 50–100, converting 0–50', () => {
    jobItem(episodes[0]!, 0, 'Synced');
    jobItem(episodes[1]!, 1, 'Transferring', 90);
    jobItem(episodes[2]!, 2, 'Converting', 20);
    jobItem(episodes[3]!, 3, 'ReadyToTransfer');
    const info = new SqlItemSyncInfo(db).forItems(userId, PHONE, [series]);
    expect(info.get(series)).toEqual({ HasSyncJob: true, SyncStatus: 'Queued', IsSynced: false, SyncPercent: 65 });
  });

  it('says Synced at 100 % when every item of the folder is on the device', () => {
    episodes.forEach((id, i) => jobItem(id, i, 'Synced'));
    expect(new SqlItemSyncInfo(db).forItems(userId, PHONE, [series]).get(series)).toEqual({
      HasSyncJob: true,
      SyncStatus: 'Synced',
      IsSynced: true,
      SyncPercent: 100,
    });
  });
});
