/**
 * Moves job items through their lifecycle (API.md §5.3–5.5, §9.2): adds items for a job's expansion,
 * plans each one for its target, shares conversion outputs by content key, follows the engine's events,
 * recomputes the job's status in the same transaction as every item change, and releases outputs.
 */
import path from 'node:path';
import type { Logger } from 'pino';
import type { Db } from '../db/connection.js';
import { tx } from '../db/connection.js';
import { newId } from '../ids.js';
import type { DevicesRepo } from '../auth/devicesRepo.js';
import type { UsersRepo, UserRecord } from '../auth/usersRepo.js';
import { dateToDotNetTicks, type MediaSourceInfo, type MediaStream, type MediaType } from '../../shared/api/items.js';
import type { ItemFileInfo, SyncJobItemStatus } from '../../shared/api/sync.js';
import { deriveJobStatus } from '../../shared/jobStatus.js';
import { decideConversion, estimateSize, needsConversion, type ConversionPlan } from '../../shared/profile/decision.js';
import type { DeviceProfile } from '../../shared/profile/types.js';
import { parseQualityId } from '../../shared/quality.js';
import type { ConversionPort, OutputState } from './conversionPort.js';
import { expandJob, jobItemName } from './expansion.js';
import type { SyncEvents } from './syncEvents.js';
import type { SyncLibrary, SyncLibraryItem } from './syncLibrary.js';
import { ACTIVE_STATUSES, type JobItemRecord, type JobRecord, type SyncRepo } from './syncRepo.js';
import { isWaitingBehindOtherJob } from './otherJobCopies.js';
import { toSyncJobItem } from './syncDto.js';

const WAITING: readonly SyncJobItemStatus[] = ['Queued', 'Converting'];

export interface ProcessorDeps {
  db: Db;
  repo: SyncRepo;
  lib: SyncLibrary;
  users: UsersRepo;
  devices: DevicesRepo;
  events: SyncEvents;
  conversion?: ConversionPort;
  log: Pick<Logger, 'info' | 'warn' | 'error' | 'debug'>;
  now?: () => Date;
}

export class JobItemProcessor {
  private readonly now: () => Date;

  constructor(private readonly d: ProcessorDeps) {
    this.now = d.now ?? (() => new Date());
    const ev = d.conversion?.events;
    if (ev) {
      ev.on('started', ({ key }: { key: string }) => this.onOutputChanged(key));
      ev.on('progress', ({ key }: { key: string }) => this.onOutputChanged(key));
      ev.on('ready', ({ key }: { key: string }) => this.onOutputChanged(key));
      ev.on('failed', ({ key }: { key: string }) => this.onOutputChanged(key));
    }
  }

  private stamp(): string {
    return this.now().toISOString();
  }

  profileOf(targetId: string): DeviceProfile {
    return this.d.devices.get(targetId)?.capabilities?.DeviceProfile ?? {};
  }

  // ---------------------------------------------------------------- items for a job (§5.3)

  /** Adds Queued items for what the job's expansion wants and isn't in the job yet, within ItemLimit. */
  ensureJobItems(job: JobRecord): JobItemRecord[] {
    const candidates = expandJob(this.d.lib, job);
    const existing = this.d.repo.itemsOfJob(job.id);
    const inJob = new Set(existing.map((i) => i.itemId));
    let counted = existing.filter((i) => i.status !== 'RemovedFromDevice' && i.status !== 'Failed').length;
    let index = this.d.repo.maxJobItemIndex(job.id) + 1;
    const added: JobItemRecord[] = [];
    const when = this.stamp();
    // Small jobs first: one movie the user waits for beats a 100-episode backlog.
    const priority = Math.min(candidates.length, 1000);
    for (const c of candidates) {
      if (job.itemLimit != null && counted >= job.itemLimit) break;
      if (inJob.has(c.id)) continue;
      const other = this.d.repo.activeItemFor(c.id, job.targetId);
      const record: JobItemRecord = {
        id: newId(),
        jobId: job.id,
        itemId: c.id,
        targetId: job.targetId,
        itemName: jobItemName(c),
        // One active item per library item and target: the newcomer waits, Cancelled, until the other leaves.
        status: other ? 'Cancelled' : 'Queued',
        progress: 0,
        jobItemIndex: index++,
        isMarkedForRemoval: false,
        outputKey: null,
        mediaSource: null,
        additionalFiles: [],
        outputFileName: null,
        size: null,
        sha256: null,
        estimatedSize: null,
        errorMessage: other ? 'Already on this device through another sync job' : null,
        itemDateModifiedTicks: null,
        priority,
        dateCreated: when,
        dateModified: when,
      };
      this.d.repo.insertItem(record);
      added.push(record);
      inJob.add(c.id);
      counted++;
    }
    return added;
  }

  // ---------------------------------------------------------------- planning (§5.5, §5.6)

  planFor(job: JobRecord, user: UserRecord, item: SyncLibraryItem, source: MediaSourceInfo): ConversionPlan {
    const transcoding = user.policy.EnableSyncTranscoding;
    return decideConversion({
      mediaType: (item.mediaType ?? 'Video') as MediaType,
      source,
      profile: this.profileOf(job.targetId),
      // Without EnableSyncTranscoding the user's jobs are processed as Original (API.md §2).
      quality: transcoding ? (parseQualityId(job.quality) ?? 'high') : 'original',
      bitrate: transcoding ? (job.bitrate ?? undefined) : undefined,
      enableTranscoding: transcoding,
      audioLanguage: user.configuration.AudioLanguagePreference,
      subtitleLanguage: user.configuration.SubtitleLanguagePreference,
      context: 'Static',
    });
  }

  /**
   * Plans one Queued item and moves it as far as it can go now: ReadyToTransfer when no conversion is
   * needed or a shared output is finished, Converting/Queued behind a shared output, Failed or Cancelled
   * when it cannot be synced. `_allowConversion` false (the non-converting pass) no longer changes anything
   * here: see the comment at the schedule call.
   */
  processItem(ji: JobItemRecord, _allowConversion = true): void {
    if (ji.status !== 'Queued') return;
    const job = this.d.repo.getJob(ji.jobId);
    if (!job) return;
    const user = this.d.users.get(job.userId);
    const item = user && this.d.lib.getItem(user.id, ji.itemId);
    if (!user || !item || !item.path) return this.fail(ji, job, 'The item is no longer in the library');
    // A file cut short (library/completeness.ts) would be sent as if whole: fail it with the scan's reason.
    if (item.incomplete) return this.fail(ji, job, item.incomplete.charAt(0).toUpperCase() + item.incomplete.slice(1));
    if (this.d.repo.activeItemFor(ji.itemId, ji.targetId, ji.id)) {
      return void this.setItem(ji, job, { status: 'Cancelled', errorMessage: 'Already on this device through another sync job' });
    }
    const source = this.d.lib.mediaSource(item);
    if (!source) return this.fail(ji, job, 'The source file has no media information');
    const plan = this.planFor(job, user, item, source);
    const common: Partial<JobItemRecord> = {
      itemDateModifiedTicks: dateToDotNetTicks(item.dateModified),
      estimatedSize: estimateSize(plan, source) ?? source.Size ?? null,
    };
    if (!needsConversion(plan)) {
      return void this.setItem(ji, job, {
        ...common,
        status: 'ReadyToTransfer',
        progress: 50,
        outputKey: null,
        mediaSource: { ...source, SupportsTranscoding: false },
        outputFileName: path.basename(item.path),
        size: source.Size ?? item.size,
        additionalFiles: [],
        errorMessage: null,
      });
    }
    const conversion = this.d.conversion;
    if (!conversion) return this.fail(ji, job, 'Conversion is not available on this server');
    const out = conversion.ensureOutput({
      itemId: item.id,
      source: { path: item.path, size: item.size ?? 0, mtimeMs: item.mtimeMs ?? 0 },
      plan,
      priority: ji.priority,
      ownerUserId: user.id,
    });
    const previousKey = ji.outputKey;
    this.applyOutput({ ...ji, ...common, outputKey: out.key }, job, out, source, item);
    if (previousKey && previousKey !== out.key) this.releaseIfUnused(previousKey);
    // Queued even by the non-converting pass: schedule() only enqueues after this call returns (ffmpeg never
    // runs inside the request), and an item that GET /Sync/Items/Ready's refresh added (a Resume or Next Up
    // job gaining an item) has no other way into the queue — it stayed Queued until the next restart.
    if (out.status === 'queued' || out.status === 'converting') conversion.schedule(out.key, ji.priority);
  }

  /** Runs the non-converting pass (or a full pass) over a target's Queued items. */
  processTarget(targetId: string, allowConversion: boolean): void {
    for (const ji of this.d.repo.itemsOfTarget(targetId, ['Queued'])) {
      tx(this.d.db, () => this.processItem(this.d.repo.getItem(ji.id)!, allowConversion));
    }
  }

  processJob(jobId: string, allowConversion = true): void {
    for (const ji of this.d.repo.itemsOfJob(jobId)) {
      if (ji.status === 'Queued') tx(this.d.db, () => this.processItem(this.d.repo.getItem(ji.id)!, allowConversion));
    }
  }

  private applyOutput(ji: JobItemRecord, job: JobRecord, out: OutputState, source: MediaSourceInfo, item: SyncLibraryItem): void {
    switch (out.status) {
      case 'ready': {
        const files: ItemFileInfo[] = out.subtitleFiles.map((f) => ({ Type: 'Subtitles', Name: f.Name, Path: f.Name, Index: f.Index }));
        const media = withSidecarStreams(out.mediaSource ?? source, out);
        return void this.setItem(ji, job, {
          status: 'ReadyToTransfer',
          progress: 50,
          mediaSource: { ...media, SupportsTranscoding: false },
          outputFileName: out.fileName ?? path.basename(item.path ?? ''),
          size: out.fileName ? (out.size ?? null) : (source.Size ?? item.size),
          sha256: out.sha256 ?? null,
          additionalFiles: files,
          errorMessage: null,
        });
      }
      case 'converting':
        return void this.setItem(ji, job, { status: 'Converting', progress: Math.min(50, out.progress / 2), errorMessage: null });
      case 'failed':
        return this.fail(ji, job, out.errorMessage ?? 'Conversion failed');
      default:
        return void this.setItem(ji, job, { status: 'Queued', progress: 0 });
    }
  }

  /** The engine changed an output: every waiting item that shares it follows. */
  onOutputChanged(key: string): void {
    const out = this.d.conversion?.getOutput(key);
    if (!out) return;
    tx(this.d.db, () => {
      for (const ji of this.d.repo.itemsWithOutput(key)) {
        if (!WAITING.includes(ji.status)) continue;
        const job = this.d.repo.getJob(ji.jobId);
        const user = job && this.d.users.get(job.userId);
        const item = user && this.d.lib.getItem(user.id, ji.itemId);
        const source = item && this.d.lib.mediaSource(item);
        if (!job || !item || !source) continue;
        this.applyOutput(ji, job, out, source, item);
      }
    });
  }

  // ---------------------------------------------------------------- item changes

  setItem(ji: JobItemRecord, job: JobRecord, patch: Partial<JobItemRecord>): JobItemRecord {
    const next: JobItemRecord = { ...ji, ...patch, dateModified: this.stamp() };
    this.d.repo.saveItem(next);
    const leftActive = ACTIVE_STATUSES.includes(ji.status) && !ACTIVE_STATUSES.includes(next.status);
    if (leftActive && ji.outputKey) this.releaseIfUnused(ji.outputKey);
    this.recomputeJob(job.id);
    if (next.status === 'ReadyToTransfer' && ji.status !== 'ReadyToTransfer' && ji.status !== 'Transferring') {
      this.d.events.emitEvent('itemReady', { userId: job.userId, targetId: job.targetId, item: toSyncJobItem(next) });
    }
    if (leftActive) this.wakeWaitingDuplicate(next);
    return next;
  }

  fail(ji: JobItemRecord, job: JobRecord, message: string): void {
    this.setItem(ji, job, { status: 'Failed', errorMessage: message });
  }

  /** An item left the device: a newer job's Cancelled item for the same library item may now go. */
  wakeWaitingDuplicate(left: Pick<JobItemRecord, 'id' | 'itemId' | 'targetId'>): void {
    if (this.d.repo.activeItemFor(left.itemId, left.targetId)) return;
    const waiting = this.d.repo
      .itemsForLibraryItem(left.itemId)
      .find((i) => i.targetId === left.targetId && i.id !== left.id && i.status === 'Cancelled' && !i.isMarkedForRemoval);
    if (!waiting) return;
    const job = this.d.repo.getJob(waiting.jobId);
    if (!job) return;
    const queued = this.setItem(waiting, job, { status: 'Queued', progress: 0, errorMessage: null });
    this.processItem(queued);
  }

  releaseIfUnused(key: string): void {
    const stillUsed = this.d.repo.itemsWithOutput(key).some((i) => ACTIVE_STATUSES.includes(i.status));
    if (!stillUsed) this.d.conversion?.release(key);
  }

  recomputeJob(jobId: string): void {
    const items = this.d.repo.itemsOfJob(jobId);
    const job = this.d.repo.getJob(jobId);
    if (!job) return;
    const { Status, Progress } = deriveJobStatus(
      items.map((i) => ({ Status: i.status, Progress: i.progress, ThroughOtherJob: isWaitingBehindOtherJob(i) })),
    );
    const progress = Progress === undefined ? null : Math.round(Progress * 100) / 100;
    if (this.d.repo.setJobStatus(jobId, Status, progress, items.length, this.stamp())) {
      this.d.events.emitEvent('jobChanged', { jobId, userId: job.userId, targetId: job.targetId });
    }
  }
}

/**
 * §5.8: the MediaSource drops its old external subtitle streams and gains one per sidecar file; the file
 * and the stream share the Index.
 */
function withSidecarStreams(source: MediaSourceInfo, out: OutputState): MediaSourceInfo {
  if (out.subtitleFiles.length === 0) return source;
  const kept = source.MediaStreams.filter((s) => !(s.Type === 'Subtitle' && s.IsExternal));
  const sidecars: MediaStream[] = out.subtitleFiles.map((f) => ({
    Type: 'Subtitle',
    Index: f.Index,
    Codec: f.Codec,
    Language: f.Language,
    IsDefault: false,
    IsForced: !!f.IsForced,
    IsExternal: true,
    IsTextSubtitleStream: true,
    SupportsExternalStream: true,
    Path: f.Name,
  }));
  return { ...source, MediaStreams: [...kept, ...sidecars] };
}
