/**
 * The SQL side of the sync store (tables sync_jobs, sync_job_items, applied_offline_actions): implements the
 * repository ports of `ports.ts`; services never see SQL or the raw database.
 */
import type { Db } from '../db/connection.js';
import type { ItemFileInfo, SyncCategory, SyncJobItemStatus, SyncJobStatus } from '../../shared/api/sync.js';
import type { MediaSourceInfo } from '../../shared/api/items.js';
import { ACTIVE_STATUSES, type JobItemQuery, type JobItemRecord, type JobQuery, type JobRecord } from './records.js';
import type { SyncStore } from './ports.js';

/** A row of sync_jobs as SQLite stores it (migration 002): booleans 0/1, id lists as JSON. */
interface SyncJobRow {
  id: string;
  user_id: string;
  target_id: string;
  name: string;
  quality: string;
  bitrate: number | null;
  profile: string;
  category: SyncCategory | null;
  parent_id: string | null;
  requested_item_ids: string;
  unwatched_only: number;
  sync_new_content: number;
  item_limit: number | null;
  status: SyncJobStatus;
  progress: number | null;
  item_count: number;
  date_created: string;
  date_last_modified: string;
}

/** A row of sync_job_items (migration 002): the media source and additional files as JSON. */
interface SyncJobItemRow {
  id: string;
  job_id: string;
  item_id: string;
  target_id: string;
  item_name: string;
  status: SyncJobItemStatus;
  progress: number;
  job_item_index: number;
  is_marked_for_removal: number;
  output_key: string | null;
  media_source: string | null;
  additional_files: string;
  output_file_name: string | null;
  size: number | null;
  sha256: string | null;
  estimated_size: number | null;
  error_message: string | null;
  item_date_modified_ticks: number | null;
  priority: number;
  date_created: string;
  date_modified: string;
}

/** `row`: one result of `SELECT * FROM sync_jobs` (better-sqlite3 types results as unknown). */
function toJob(row: unknown): JobRecord {
  const r = row as SyncJobRow;
  return {
    id: r.id,
    userId: r.user_id,
    targetId: r.target_id,
    name: r.name,
    quality: r.quality,
    bitrate: r.bitrate,
    profile: r.profile,
    category: r.category,
    parentId: r.parent_id,
    requestedItemIds: JSON.parse(r.requested_item_ids) as string[],
    unwatchedOnly: !!r.unwatched_only,
    syncNewContent: !!r.sync_new_content,
    itemLimit: r.item_limit,
    status: r.status,
    progress: r.progress,
    itemCount: r.item_count,
    dateCreated: r.date_created,
    dateLastModified: r.date_last_modified,
  };
}

/** `row`: one result of `SELECT * FROM sync_job_items`. */
function toItem(row: unknown): JobItemRecord {
  const r = row as SyncJobItemRow;
  return {
    id: r.id,
    jobId: r.job_id,
    itemId: r.item_id,
    targetId: r.target_id,
    itemName: r.item_name,
    status: r.status,
    progress: r.progress,
    jobItemIndex: r.job_item_index,
    isMarkedForRemoval: !!r.is_marked_for_removal,
    outputKey: r.output_key,
    mediaSource: r.media_source ? (JSON.parse(r.media_source) as MediaSourceInfo) : null,
    additionalFiles: JSON.parse(r.additional_files) as ItemFileInfo[],
    outputFileName: r.output_file_name,
    size: r.size,
    sha256: r.sha256,
    estimatedSize: r.estimated_size,
    errorMessage: r.error_message,
    itemDateModifiedTicks: r.item_date_modified_ticks,
    priority: r.priority,
    dateCreated: r.date_created,
    dateModified: r.date_modified,
  };
}

function placeholders(n: number): string {
  return Array.from({ length: n }, () => '?').join(',');
}

/** Collects optional filter clauses and their values in step. */
class Where {
  readonly clauses: string[] = [];
  readonly args: unknown[] = [];
  add(clause: string, ...values: unknown[]): void {
    this.clauses.push(clause);
    this.args.push(...values);
  }
  in(column: string, values: readonly unknown[]): void {
    this.add(`${column} IN (${placeholders(values.length)})`, ...values);
  }
  toSql(): string {
    return this.clauses.length ? `WHERE ${this.clauses.join(' AND ')}` : '';
  }
}

export class SyncRepo implements SyncStore {
  constructor(private readonly db: Db) {}

  // ---- jobs
  insertJob(j: JobRecord): void {
    this.db
      .prepare(
        `INSERT INTO sync_jobs (id, user_id, target_id, name, quality, bitrate, profile, category, parent_id,
           requested_item_ids, unwatched_only, sync_new_content, item_limit, status, progress, item_count,
           date_created, date_last_modified)
         VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
      )
      .run(
        j.id,
        j.userId,
        j.targetId,
        j.name,
        j.quality,
        j.bitrate,
        j.profile,
        j.category,
        j.parentId,
        JSON.stringify(j.requestedItemIds),
        j.unwatchedOnly ? 1 : 0,
        j.syncNewContent ? 1 : 0,
        j.itemLimit,
        j.status,
        j.progress,
        j.itemCount,
        j.dateCreated,
        j.dateLastModified,
      );
  }

  getJob(id: string): JobRecord | undefined {
    const r = this.db.prepare('SELECT * FROM sync_jobs WHERE id = ?').get(id);
    return r ? toJob(r) : undefined;
  }

  updateJobSettings(j: JobRecord): void {
    this.db
      .prepare(
        `UPDATE sync_jobs SET name = ?, quality = ?, bitrate = ?, profile = ?, unwatched_only = ?, sync_new_content = ?,
           item_limit = ?, date_last_modified = ? WHERE id = ?`,
      )
      .run(
        j.name,
        j.quality,
        j.bitrate,
        j.profile,
        j.unwatchedOnly ? 1 : 0,
        j.syncNewContent ? 1 : 0,
        j.itemLimit,
        j.dateLastModified,
        j.id,
      );
  }

  setJobStatus(id: string, status: SyncJobStatus, progress: number | null, itemCount: number, when: string): boolean {
    const res = this.db
      .prepare(
        `UPDATE sync_jobs SET status = ?, progress = ?, item_count = ?, date_last_modified = ?
         WHERE id = ? AND (status IS NOT ? OR progress IS NOT ? OR item_count IS NOT ?)`,
      )
      .run(status, progress, itemCount, when, id, status, progress, itemCount);
    return res.changes > 0;
  }

  deleteJob(id: string): void {
    this.db.prepare('DELETE FROM sync_jobs WHERE id = ?').run(id);
  }

  queryJobs(q: JobQuery): { items: JobRecord[]; total: number } {
    const where = new Where();
    if (q.userId) where.add('j.user_id = ?', q.userId);
    if (q.targetId) where.add('j.target_id = ?', q.targetId);
    if (q.excludeTargetIds?.length) where.add(`j.target_id NOT IN (${placeholders(q.excludeTargetIds.length)})`, ...q.excludeTargetIds);
    if (q.itemId) where.add('EXISTS (SELECT 1 FROM json_each(j.requested_item_ids) WHERE value = ?)', q.itemId);
    if (q.statuses?.length) where.in('j.status', q.statuses);
    if (q.syncNewContent !== undefined) where.add('j.sync_new_content = ?', q.syncNewContent ? 1 : 0);
    const w = where.toSql();
    const args = where.args;
    const total = (this.db.prepare(`SELECT COUNT(*) AS n FROM sync_jobs j ${w}`).get(...args) as { n: number }).n;
    // Most recently active target first, then the newest change (API.md §3 "List jobs").
    const rows = this.db
      .prepare(
        `SELECT j.* FROM sync_jobs j LEFT JOIN devices d ON d.id = j.target_id ${w}
         ORDER BY d.date_last_activity DESC, j.date_last_modified DESC, j.id
         LIMIT ? OFFSET ?`,
      )
      .all(...args, q.limit ?? -1, q.startIndex ?? 0);
    return { items: rows.map(toJob), total };
  }

  jobsOfTarget(targetId: string): JobRecord[] {
    return this.db.prepare('SELECT * FROM sync_jobs WHERE target_id = ? ORDER BY date_created').all(targetId).map(toJob);
  }

  allJobs(): JobRecord[] {
    return this.db.prepare('SELECT * FROM sync_jobs ORDER BY date_created').all().map(toJob);
  }

  // ---- job items
  insertItem(i: JobItemRecord): void {
    this.db
      .prepare(
        `INSERT INTO sync_job_items (id, job_id, item_id, target_id, item_name, status, progress, job_item_index,
           is_marked_for_removal, output_key, media_source, additional_files, output_file_name, size, sha256,
           estimated_size, error_message, item_date_modified_ticks, priority, date_created, date_modified)
         VALUES (@id, @job_id, @item_id, @target_id, @item_name, @status, @progress, @job_item_index,
           @is_marked_for_removal, @output_key, @media_source, @additional_files, @output_file_name, @size, @sha256,
           @estimated_size, @error_message, @item_date_modified_ticks, @priority, @date_created, @date_modified)`,
      )
      .run(itemColumns(i));
  }

  /** Writes every mutable field of a job item (the service changes records, then saves them). */
  saveItem(i: JobItemRecord): void {
    this.db
      .prepare(
        `UPDATE sync_job_items SET status = @status, progress = @progress, is_marked_for_removal = @is_marked_for_removal,
           output_key = @output_key, media_source = @media_source, additional_files = @additional_files,
           output_file_name = @output_file_name, size = @size, sha256 = @sha256, estimated_size = @estimated_size,
           error_message = @error_message, item_date_modified_ticks = @item_date_modified_ticks, priority = @priority,
           item_name = @item_name, date_modified = @date_modified
         WHERE id = @id`,
      )
      .run(itemColumns(i));
  }

  getItem(id: string): JobItemRecord | undefined {
    const r = this.db.prepare('SELECT * FROM sync_job_items WHERE id = ?').get(id);
    return r ? toItem(r) : undefined;
  }

  itemsOfJob(jobId: string): JobItemRecord[] {
    return this.db.prepare('SELECT * FROM sync_job_items WHERE job_id = ? ORDER BY job_item_index, date_created').all(jobId).map(toItem);
  }

  itemsOfTarget(targetId: string, statuses?: readonly string[]): JobItemRecord[] {
    const s = statuses?.length ? ` AND i.status IN (${placeholders(statuses.length)})` : '';
    return this.db
      .prepare(
        `SELECT i.* FROM sync_job_items i JOIN sync_jobs j ON j.id = i.job_id
         WHERE i.target_id = ?${s} ORDER BY j.date_created, i.job_item_index`,
      )
      .all(targetId, ...(statuses ?? []))
      .map(toItem);
  }

  itemsWithOutput(key: string): JobItemRecord[] {
    return this.db.prepare('SELECT * FROM sync_job_items WHERE output_key = ?').all(key).map(toItem);
  }

  itemsForLibraryItem(itemId: string): JobItemRecord[] {
    return this.db.prepare('SELECT * FROM sync_job_items WHERE item_id = ?').all(itemId).map(toItem);
  }

  /** The active job item for a library item on a target, other than `exceptId` (one per item + target). */
  activeItemFor(itemId: string, targetId: string, exceptId?: string): JobItemRecord | undefined {
    const r = this.db
      .prepare(
        `SELECT * FROM sync_job_items WHERE item_id = ? AND target_id = ? AND id IS NOT ?
         AND status IN (${placeholders(ACTIVE_STATUSES.length)}) ORDER BY date_created LIMIT 1`,
      )
      .get(itemId, targetId, exceptId ?? null, ...ACTIVE_STATUSES);
    return r ? toItem(r) : undefined;
  }

  queryItems(q: JobItemQuery): { items: JobItemRecord[]; total: number } {
    const where = new Where();
    if (q.jobId) where.add('i.job_id = ?', q.jobId);
    if (q.itemId) where.add('i.item_id = ?', q.itemId);
    if (q.targetId) where.add('i.target_id = ?', q.targetId);
    if (q.userId) where.add('j.user_id = ?', q.userId);
    if (q.statuses?.length) where.in('i.status', q.statuses);
    const w = where.toSql();
    const args = where.args;
    const from = 'FROM sync_job_items i JOIN sync_jobs j ON j.id = i.job_id';
    const total = (this.db.prepare(`SELECT COUNT(*) AS n ${from} ${w}`).get(...args) as { n: number }).n;
    const rows = this.db
      .prepare(`SELECT i.* ${from} ${w} ORDER BY j.date_created, i.job_item_index, i.date_created LIMIT ? OFFSET ?`)
      .all(...args, q.limit ?? -1, q.startIndex ?? 0);
    return { items: rows.map(toItem), total };
  }

  maxJobItemIndex(jobId: string): number {
    const r = this.db.prepare('SELECT MAX(job_item_index) AS m FROM sync_job_items WHERE job_id = ?').get(jobId) as { m: number | null };
    return r.m ?? -1;
  }

  // ---- offline actions
  markActionApplied(id: string, userId: string, when: string): boolean {
    const res = this.db
      .prepare('INSERT OR IGNORE INTO applied_offline_actions (id, user_id, date_applied) VALUES (?, ?, ?)')
      .run(id, userId, when);
    return res.changes > 0;
  }
}

/** A job item as its table stores it: one mapping for insert and update, so the two cannot drift. */
function itemColumns(i: JobItemRecord): SyncJobItemRow {
  return {
    id: i.id,
    job_id: i.jobId,
    item_id: i.itemId,
    target_id: i.targetId,
    item_name: i.itemName,
    status: i.status,
    progress: i.progress,
    job_item_index: i.jobItemIndex,
    is_marked_for_removal: i.isMarkedForRemoval ? 1 : 0,
    output_key: i.outputKey,
    media_source: i.mediaSource ? JSON.stringify(i.mediaSource) : null,
    additional_files: JSON.stringify(i.additionalFiles),
    output_file_name: i.outputFileName,
    size: i.size,
    sha256: i.sha256,
    estimated_size: i.estimatedSize,
    error_message: i.errorMessage,
    item_date_modified_ticks: i.itemDateModifiedTicks,
    priority: i.priority,
    date_created: i.dateCreated,
    date_modified: i.dateModified,
  };
}
