/**
 * Items another job already syncs to the same device (issue 15 §4). One active job item per library item
 * and target (API.md §5.3): a newer job's item for it waits — `Cancelled` on the wire, as Emby has it —
 * until the other leaves the device. That read as "Cancelled 0 % · Retry" with the reason never shown, so
 * this names the other job for a waiting item (our own SyncJobItem fields) and, before a job is created,
 * counts how much of a selection is already on the device or on its way (our own SyncDialogOptions field).
 */
import type { Db } from '../db/connection.js';
import type { SelectionOnTarget, SyncJobItem, SyncJobItemStatus } from '../../shared/api/sync.js';
import { ACTIVE_STATUSES, type JobItemRecord } from './syncRepo.js';

/**
 * A person's cancel marks the item for removal (§5.11); the wait behind another job's copy does not
 * (JobItemProcessor.ensureJobItems / processItem), and that is what wakes it again (wakeWaitingDuplicate).
 */
export function isWaitingBehindOtherJob(item: Pick<JobItemRecord, 'status' | 'isMarkedForRemoval'>): boolean {
  return item.status === 'Cancelled' && !item.isMarkedForRemoval;
}

interface ActiveRow {
  id: string;
  item_id: string;
  status: SyncJobItemStatus;
  job_id: string;
  job_name: string;
}

export type ThroughJob = Pick<SyncJobItem, 'ThroughJobId' | 'ThroughJobName' | 'ThroughJobItemStatus'>;

export class OtherJobCopies {
  constructor(private readonly db: Db) {}

  /** The active job items (any job) for these library items on the target, oldest first. */
  private active(targetId: string, itemIds: readonly string[]): ActiveRow[] {
    if (itemIds.length === 0) return [];
    return this.db
      .prepare(
        `SELECT i.id, i.item_id, i.status, j.id AS job_id, j.name AS job_name
         FROM sync_job_items i JOIN sync_jobs j ON j.id = i.job_id
         WHERE i.target_id = ? AND i.item_id IN (SELECT value FROM json_each(?))
           AND i.status IN (SELECT value FROM json_each(?))
         ORDER BY i.date_created`,
      )
      .all(targetId, JSON.stringify(itemIds), JSON.stringify(ACTIVE_STATUSES)) as ActiveRow[];
  }

  /** For a waiting item: the job whose copy it waits behind; undefined for any other item. */
  throughJobOf(item: JobItemRecord): ThroughJob | undefined {
    if (!isWaitingBehindOtherJob(item)) return undefined;
    const other = this.active(item.targetId, [item.itemId]).find((r) => r.id !== item.id);
    return other && { ThroughJobId: other.job_id, ThroughJobName: other.job_name, ThroughJobItemStatus: other.status };
  }

  /** Of a selection's items (the job's expansion, before it exists), those other jobs already hold there. */
  onTarget(targetId: string, itemIds: readonly string[]): SelectionOnTarget {
    const rows = this.active(targetId, [...new Set(itemIds)]);
    const seen = new Set<string>();
    const jobs = new Map<string, string>();
    let onTarget = 0;
    let coming = 0;
    for (const r of rows) {
      if (seen.has(r.item_id)) continue;
      seen.add(r.item_id);
      if (r.status === 'Synced') onTarget++;
      else coming++;
      jobs.set(r.job_id, r.job_name);
    }
    return {
      ItemCount: new Set(itemIds).size,
      OnTarget: onTarget,
      Coming: coming,
      Jobs: [...jobs].map(([Id, Name]) => ({ Id, Name })).sort((a, b) => a.Name.localeCompare(b.Name)),
    };
  }
}
