/**
 * Shared conversion outputs (API.md §9.2 "converted once, shared"): one row in `conversion_outputs` and one
 * directory `<workDir>/<key>/` per content key. The key is the source identity plus the effective plan, so
 * every job item, device and user asking for the same bytes points at the same output.
 *
 * The store never decides when an output dies: the sync core does (last reference gone), and calls
 * `release` / `deleteOutput`. The queue writes status, progress and results through this class only.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { MediaSourceInfo } from '../../shared/api/items.js';
import { planKey, type ConversionPlan } from '../../shared/profile/decision.js';
import type { Db } from '../db/connection.js';
import type { ConversionJob, ConversionResult, OutputStatus, SubtitleFile } from './conversionTypes.js';
import { isOutputKey, isPartialName, OutputLayout, outputFileName } from './outputLayout.js';

export type { OutputStatus, SubtitleFile } from './conversionTypes.js';

export interface OutputRecord {
  key: string;
  itemId: string;
  sourcePath: string;
  plan: ConversionPlan;
  status: OutputStatus;
  /** Encoder progress 0–100 (the sync core shows half of it: conversion is the first half of a sync). */
  progress: number;
  /** Lower runs first. */
  priority: number;
  ownerUserId: string | null;
  /** Bare name of the media file on the wire; for a direct plan the source's own name. */
  fileName: string;
  size: number | null;
  sha256: string | null;
  mediaSource: MediaSourceInfo | null;
  subtitleFiles: SubtitleFile[];
  errorMessage: string | null;
  attempts: number;
  dateCreated: string;
  dateModified: string;
  /** Direct plan: serve the source file; only sidecars live in the output directory. */
  servesSource: boolean;
  /** The source's duration as scanned (null: unknown, the runner probes). */
  sourceSeconds: number | null;
}

export interface SourceIdentity {
  path: string;
  size: number;
  mtimeMs: number;
}

export interface EnsureOutput {
  key: string;
  itemId: string;
  sourcePath: string;
  plan: ConversionPlan;
  priority: number;
  ownerUserId?: string | null;
  /** The source's duration from its scan: spares the runner a probe of the source. */
  sourceSeconds?: number;
}

export interface DiskUsage {
  bytes: number;
  files: number;
  outputs: number;
}

export interface CleanupReport {
  removedDirs: number;
  removedPartials: number;
  requeued: string[];
}

/** Job items in these statuses hold their output (API.md §9.2). */
export const REFERENCING_STATUSES = ['Queued', 'Converting', 'ReadyToTransfer', 'Transferring', 'Synced'] as const;

interface OutputRow {
  key: string;
  item_id: string;
  source_path: string;
  plan: string;
  status: OutputStatus;
  progress: number;
  priority: number;
  owner_user_id: string | null;
  file_name: string | null;
  size: number | null;
  sha256: string | null;
  media_source: string | null;
  subtitle_files: string;
  error_message: string | null;
  attempts: number;
  date_created: string;
  date_modified: string;
  source_seconds: number | null;
}

const REFS_SQL = `SELECT COUNT(*) AS n FROM sync_job_items WHERE output_key = ? AND status IN (${REFERENCING_STATUSES.map(() => '?').join(',')})`;

function now(): string {
  return new Date().toISOString();
}

/** The wire name of the media file an output serves. */
export function plannedFileName(sourcePath: string, plan: ConversionPlan): string {
  return plan.kind === 'direct' ? path.basename(sourcePath) : outputFileName(sourcePath, plan.container);
}

export class OutputStore {
  readonly layout: OutputLayout;

  constructor(
    private readonly db: Db,
    readonly workDir: string,
    private readonly log?: Logger,
  ) {
    this.layout = new OutputLayout(workDir);
  }

  /**
   * sha256 over the source identity and planKey (which includes RECIPE_VERSION): a changed file (size or
   * mtime), a different plan or a new recipe gives a new key, so a stale output is never served.
   */
  contentKey(source: SourceIdentity, plan: ConversionPlan): string {
    const identity = JSON.stringify({ path: path.resolve(source.path), size: source.size, mtimeMs: Math.trunc(source.mtimeMs) });
    return crypto.createHash('sha256').update(identity).update('\n').update(planKey(plan)).digest('hex');
  }

  get(key: string): OutputRecord | undefined {
    const row = this.db.prepare('SELECT * FROM conversion_outputs WHERE key = ?').get(key) as OutputRow | undefined;
    return row ? toRecord(row) : undefined;
  }

  /**
   * The output for `key`, created as 'queued' if missing. An existing one keeps its status (a 'failed'
   * output stays failed until `retry`) but takes the more urgent priority, so a user waiting on one film
   * lifts an output a backlog job created first.
   */
  ensure(input: EnsureOutput): OutputRecord {
    if (!isOutputKey(input.key)) throw new Error(`not an output key: ${input.key}`);
    const t = now();
    this.db
      .prepare(
        `INSERT INTO conversion_outputs (key, item_id, source_path, plan, status, progress, priority, owner_user_id, file_name, source_seconds, date_created, date_modified)
         VALUES (?, ?, ?, ?, 'queued', 0, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(key) DO UPDATE SET priority = MIN(priority, excluded.priority),
           source_seconds = COALESCE(source_seconds, excluded.source_seconds)`,
      )
      .run(
        input.key,
        input.itemId,
        input.sourcePath,
        JSON.stringify(input.plan),
        input.priority,
        input.ownerUserId ?? null,
        plannedFileName(input.sourcePath, input.plan),
        input.sourceSeconds !== undefined && input.sourceSeconds > 0 ? input.sourceSeconds : null,
        t,
        t,
      );
    return this.get(input.key)!;
  }

  /** A failed output becomes 'queued' again (the caller then schedules it). */
  retry(key: string): boolean {
    return (
      this.db
        .prepare(
          `UPDATE conversion_outputs SET status = 'queued', progress = 0, error_message = NULL, date_modified = ? WHERE key = ? AND status = 'failed'`,
        )
        .run(now(), key).changes > 0
    );
  }

  setStatus(key: string, status: OutputStatus): void {
    const reset = status === 'queued' ? ', progress = 0' : '';
    this.db.prepare(`UPDATE conversion_outputs SET status = ?${reset}, date_modified = ? WHERE key = ?`).run(status, now(), key);
  }

  /** Marks the start of an attempt. */
  markConverting(key: string): void {
    this.db
      .prepare(
        `UPDATE conversion_outputs SET status = 'converting', progress = 0, attempts = attempts + 1, error_message = NULL, date_modified = ? WHERE key = ?`,
      )
      .run(now(), key);
  }

  setProgress(key: string, progress: number): void {
    const p = Math.max(0, Math.min(100, progress));
    this.db
      .prepare(`UPDATE conversion_outputs SET progress = ?, date_modified = ? WHERE key = ? AND status = 'converting'`)
      .run(p, now(), key);
  }

  setPriority(key: string, priority: number): void {
    this.db.prepare('UPDATE conversion_outputs SET priority = ? WHERE key = ?').run(priority, key);
  }

  markReady(key: string, result: ConversionResult): void {
    this.db
      .prepare(
        `UPDATE conversion_outputs SET status = 'ready', progress = 100, file_name = ?, size = ?, sha256 = ?, media_source = ?,
           subtitle_files = ?, error_message = NULL, date_modified = ? WHERE key = ?`,
      )
      .run(
        result.fileName,
        result.size,
        result.sha256,
        JSON.stringify(result.mediaSource),
        JSON.stringify(result.subtitleFiles),
        now(),
        key,
      );
  }

  markFailed(key: string, message: string): void {
    this.db
      .prepare(`UPDATE conversion_outputs SET status = 'failed', error_message = ?, date_modified = ? WHERE key = ?`)
      .run(message.slice(0, 8000), now(), key);
  }

  /** Job items still holding the output (Queued, Converting, ReadyToTransfer, Transferring, Synced). */
  referenceCount(key: string): number {
    return (this.db.prepare(REFS_SQL).get(key, ...REFERENCING_STATUSES) as { n: number }).n;
  }

  /** Outputs waiting for ffmpeg that someone still wants, most urgent first: what a queue rebuilds from. */
  queuedWithReferences(): OutputRecord[] {
    const rows = this.db
      .prepare(
        `SELECT o.* FROM conversion_outputs o
         WHERE o.status = 'queued' AND EXISTS (
           SELECT 1 FROM sync_job_items i WHERE i.output_key = o.key AND i.status IN (${REFERENCING_STATUSES.map(() => '?').join(',')}))
         ORDER BY o.priority, o.date_created`,
      )
      .all(...REFERENCING_STATUSES) as OutputRow[];
    return rows.map(toRecord);
  }

  listByStatus(status: OutputStatus): OutputRecord[] {
    return (
      this.db.prepare('SELECT * FROM conversion_outputs WHERE status = ? ORDER BY priority, date_created').all(status) as OutputRow[]
    ).map(toRecord);
  }

  /** The media file to serve: the source itself for a direct plan, else `<workDir>/<key>/<fileName>`. */
  filePath(key: string): string {
    const record = this.get(key);
    if (!record) throw new Error(`no output ${key}`);
    return record.servesSource ? record.sourcePath : this.layout.file(key, record.fileName);
  }

  subtitlePath(key: string, name: string): string {
    return this.layout.file(key, name);
  }

  /** What a runner needs (and a BullMQ job carries). */
  jobFor(record: OutputRecord, durationSeconds?: number): ConversionJob {
    const job: ConversionJob = {
      key: record.key,
      sourcePath: record.sourcePath,
      plan: record.plan,
      fileName: record.fileName,
      outputDir: this.layout.dir(record.key),
    };
    const seconds = durationSeconds ?? record.sourceSeconds ?? undefined;
    if (seconds !== undefined) job.durationSeconds = seconds;
    return job;
  }

  /** Files and row, unconditionally. Stop a running conversion first (queue.cancel). */
  async deleteOutput(key: string): Promise<void> {
    await fs.promises.rm(this.layout.dir(key), { recursive: true, force: true });
    this.db.prepare('DELETE FROM conversion_outputs WHERE key = ?').run(key);
    this.log?.debug({ key }, 'output deleted');
  }

  /** Deletes the output when no job item references it any more; true if it did. */
  async release(key: string): Promise<boolean> {
    if (this.referenceCount(key) > 0) return false;
    await this.deleteOutput(key);
    return true;
  }

  /** Whether a ready output's files are all still there with the recorded size. */
  verifyPresent(key: string): boolean {
    const record = this.get(key);
    if (!record || record.status !== 'ready') return false;
    try {
      const media = fs.statSync(this.filePath(key));
      if (record.size !== null && media.size !== record.size) return false;
      return record.subtitleFiles.every((s) => fs.existsSync(this.subtitlePath(key, s.Name)));
    } catch {
      return false;
    }
  }

  /**
   * At start (and from the SyncPrepare task): delete directories without a row and temporary files, and
   * put rows a crash left 'converting' back to 'queued' (API.md §9.6). Directories whose name is not an
   * output key are left alone: TemporaryPath may point at a folder that holds other things.
   * `keep` protects outputs a remote BullMQ worker may be writing right now.
   */
  async cleanupOrphans(options: { resetConverting?: boolean; keep?: ReadonlySet<string> } = {}): Promise<CleanupReport> {
    const report: CleanupReport = { removedDirs: 0, removedPartials: 0, requeued: [] };
    if (options.resetConverting ?? true) {
      const rows = this.db.prepare(`SELECT key FROM conversion_outputs WHERE status = 'converting'`).all() as { key: string }[];
      report.requeued = rows.map((r) => r.key).filter((k) => !options.keep?.has(k));
      const update = this.db.prepare(`UPDATE conversion_outputs SET status = 'queued', progress = 0, date_modified = ? WHERE key = ?`);
      const t = now();
      this.db.transaction(() => report.requeued.forEach((k) => update.run(t, k)))();
    }
    let entries: fs.Dirent[];
    try {
      entries = await fs.promises.readdir(this.workDir, { withFileTypes: true });
    } catch {
      return report; // no work dir yet
    }
    const statusOf = this.db.prepare('SELECT status FROM conversion_outputs WHERE key = ?');
    for (const entry of entries) {
      if (!entry.isDirectory() || !isOutputKey(entry.name) || options.keep?.has(entry.name)) continue;
      const dir = path.join(this.workDir, entry.name);
      const row = statusOf.get(entry.name) as { status: string } | undefined;
      if (!row) {
        await fs.promises.rm(dir, { recursive: true, force: true });
        report.removedDirs++;
        continue;
      }
      // A conversion running right now writes its partial file here (the periodic task runs beside it).
      if (row.status === 'converting') continue;
      for (const name of await fs.promises.readdir(dir)) {
        if (!isPartialName(name)) continue;
        await fs.promises.rm(path.join(dir, name), { force: true });
        report.removedPartials++;
      }
    }
    if (report.removedDirs || report.removedPartials || report.requeued.length) this.log?.info(report, 'conversion outputs cleaned up');
    return report;
  }

  /** Bytes and files under the work dir, for the admin page. */
  async diskUsage(): Promise<DiskUsage> {
    const usage: DiskUsage = { bytes: 0, files: 0, outputs: 0 };
    let entries: fs.Dirent[];
    try {
      entries = await fs.promises.readdir(this.workDir, { withFileTypes: true });
    } catch {
      return usage;
    }
    for (const entry of entries) {
      if (!entry.isDirectory() || !isOutputKey(entry.name)) continue;
      usage.outputs++;
      const dir = path.join(this.workDir, entry.name);
      for (const name of await fs.promises.readdir(dir)) {
        try {
          const st = await fs.promises.stat(path.join(dir, name));
          if (!st.isFile()) continue;
          usage.bytes += st.size;
          usage.files++;
        } catch {
          // deleted while we walked
        }
      }
    }
    return usage;
  }
}

function toRecord(row: OutputRow): OutputRecord {
  const plan = JSON.parse(row.plan) as ConversionPlan;
  return {
    key: row.key,
    itemId: row.item_id,
    sourcePath: row.source_path,
    plan,
    status: row.status,
    progress: row.progress,
    priority: row.priority,
    ownerUserId: row.owner_user_id,
    fileName: row.file_name ?? plannedFileName(row.source_path, plan),
    size: row.size,
    sha256: row.sha256,
    mediaSource: row.media_source ? (JSON.parse(row.media_source) as MediaSourceInfo) : null,
    subtitleFiles: JSON.parse(row.subtitle_files || '[]') as SubtitleFile[],
    errorMessage: row.error_message,
    attempts: row.attempts,
    dateCreated: row.date_created,
    dateModified: row.date_modified,
    servesSource: plan.kind === 'direct',
    sourceSeconds: row.source_seconds ?? null,
  };
}
