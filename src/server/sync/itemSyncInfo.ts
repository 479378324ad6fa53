import type { Db } from '../db/connection.js';
import type { ItemSyncInfo, ItemSyncInfoProvider } from '../library/itemDto.js';

/** Most advanced first: which of an item's job items speaks for it on a device (API.md §4 "Item sync info"). */
const RANK: Record<string, number> = {
  Synced: 6,
  Transferring: 5,
  ReadyToTransfer: 4,
  Converting: 3,
  Queued: 2,
  Failed: 1,
};

/**
 * `Fields=SyncInfo` for the calling device: per item its most advanced job item; per folder the mean of its
 * items' progress on the device, on the one scale of jobStatus.ts that each item's own SyncPercent shows
 * (Queued 0, converting up to 50, downloading 50–100, Synced 100).
 */
export class SqlItemSyncInfo implements ItemSyncInfoProvider {
  constructor(private readonly db: Db) {}

  forItems(userId: string, deviceId: string | undefined, itemIds: readonly string[]): Map<string, ItemSyncInfo> {
    const out = new Map<string, ItemSyncInfo>();
    if (!deviceId || itemIds.length === 0) return out;
    const list = JSON.stringify(itemIds);
    const direct = this.db
      .prepare(
        `SELECT i.item_id, i.status, i.progress FROM sync_job_items i JOIN sync_jobs j ON j.id = i.job_id
         WHERE i.target_id = ? AND j.user_id = ? AND i.item_id IN (SELECT value FROM json_each(?))
           AND i.status NOT IN ('Cancelled', 'RemovedFromDevice')`,
      )
      .all(deviceId, userId, list) as { item_id: string; status: string; progress: number }[];
    for (const r of direct) {
      const prev = out.get(r.item_id);
      if (prev && (RANK[prev.SyncStatus ?? ''] ?? 0) >= (RANK[r.status] ?? 0)) continue;
      out.set(r.item_id, {
        HasSyncJob: true,
        SyncStatus: r.status,
        IsSynced: r.status === 'Synced',
        SyncPercent: r.status === 'Synced' ? 100 : Math.round(r.progress),
      });
    }
    // Folders: items under them (series, season, album, view, plain parent) that are on this device.
    const folders = this.db
      .prepare(
        `SELECT f.id AS folder_id,
                AVG(CASE WHEN i.status = 'Synced' THEN 100.0 ELSE i.progress END) AS pct,
                SUM(CASE WHEN i.status = 'Synced' THEN 1 ELSE 0 END) AS synced, COUNT(*) AS n
         FROM items f
         JOIN items c ON (c.series_id = f.id OR c.season_id = f.id OR c.album_id = f.id OR c.top_parent_id = f.id OR c.parent_id = f.id)
                     AND c.is_folder = 0
         JOIN sync_job_items i ON i.item_id = c.id AND i.target_id = ? AND i.status NOT IN ('Cancelled', 'RemovedFromDevice', 'Failed')
         JOIN sync_jobs j ON j.id = i.job_id AND j.user_id = ?
         WHERE f.is_folder = 1 AND f.id IN (SELECT value FROM json_each(?))
         GROUP BY f.id`,
      )
      .all(deviceId, userId, list) as { folder_id: string; pct: number; synced: number; n: number }[];
    for (const f of folders) {
      out.set(f.folder_id, {
        HasSyncJob: true,
        SyncStatus: f.synced === f.n ? 'Synced' : 'Queued',
        IsSynced: f.synced === f.n,
        SyncPercent: Math.round(f.pct),
      });
    }
    // Items a job of this device asks for but that have no item yet (a folder just requested).
    const requested = this.db
      .prepare(
        `SELECT DISTINCT r.value AS item_id FROM sync_jobs j, json_each(j.requested_item_ids) r
         WHERE j.target_id = ? AND j.user_id = ? AND r.value IN (SELECT value FROM json_each(?))`,
      )
      .all(deviceId, userId, list) as { item_id: string }[];
    for (const r of requested)
      if (!out.has(r.item_id)) out.set(r.item_id, { HasSyncJob: true, SyncStatus: 'Queued', IsSynced: false, SyncPercent: 0 });
    return out;
  }
}
