/**
 * Moves job items through their lifecycle (API.md §5.3–5.5, §9.2): adds items for a job's expansion,
 * plans each one for its target, shares conversion outputs by content key, follows the engine's events,
 * recomputes the job's status in the same transaction as every item change, and releases outputs.
 * One active item per library item and target: the section "Duplicates" below holds that rule.
 */
import path from 'node:path';
import type { Logger } from 'pino';
import { newId } from '../ids.js';
import { dateToDotNetTicks, TICKS_PER_SECOND, type MediaSourceInfo, type MediaStream } from '../../shared/api/items.js';
import type { ItemFileInfo, SyncJobItemStatus } from '../../shared/api/sync.js';
import { conversionProgress, deriveJobStatus, itemProgress } from '../../shared/jobStatus.js';
import { estimateSize, needsConversion, type ConversionPlan } from '../../shared/profile/decision.js';
import type { DeviceProfile } from '../../shared/profile/types.js';
import type { SyncEvents } from '../events/syncEvents.js';
import type { ConversionPort, OutputState } from './conversionPort.js';
import { expandJob, jobItemName } from './expansion.js';
import type { ItemPlanner } from './itemPlanner.js';
import { isWaitingBehindOtherJob } from './otherJobCopies.js';
import type { JobItemRepository, JobRepository, UnitOfWork, UserDirectory } from './ports.js';
import { ACTIVE_STATUSES, type JobItemRecord, type JobRecord } from './records.js';
import type { SyncCandidate, SyncLibrary, SyncLibraryItem } from './syncLibrary.js';
import { toSyncJobItem } from './syncDto.js';
import { userFacingError, type PathRoots } from './userFacingError.js';

const WAITING: readonly SyncJobItemStatus[] = ['Queued', 'Converting'];
/** Progress of an item whose file is ready and not yet downloaded: the one scale of jobStatus.ts. */
const READY_PROGRESS = itemProgress('ReadyToTransfer');

export interface ProcessorDeps {
  store: JobRepository & JobItemRepository;
  uow: UnitOfWork;
  lib: SyncLibrary;
  users: UserDirectory;
  planner: ItemPlanner;
  events: Pick<SyncEvents, 'emitEvent'>;
  conversion?: ConversionPort;
  /** Where server paths in error messages come from, so users see library-relative names instead. */
  pathRoots?: () => PathRoots;
  log: Pick<Logger, 'info' | 'warn' | 'error' | 'debug'>;
  now?: () => Date;
}

export class JobItemProcessor {
  private readonly now: () => Date;

  constructor(private readonly d: ProcessorDeps) {
    this.now = d.now ?? (() => new Date());
    const ev = d.conversion?.events;
    if (ev) {
      for (const name of ['started', 'progress', 'ready', 'failed']) ev.on(name, ({ key }: { key: string }) => this.onOutputChanged(key));
    }
  }

  private stamp(): string {
    return this.now().toISOString();
  }

  // ---------------------------------------------------------------- items for a job (§5.3)

  /**
   * Adds Queued items for what the job's expansion wants and isn't in the job yet, within ItemLimit.
   * `candidates`: an expansion the caller already made (a new job plans them before it is saved).
   */
  ensureJobItems(job: JobRecord, candidates: readonly SyncCandidate[] = expandJob(this.d.lib, job)): JobItemRecord[] {
    const existing = this.d.store.itemsOfJob(job.id);
    const inJob = new Set(existing.map((i) => i.itemId));
    let counted = existing.filter((i) => i.status !== 'RemovedFromDevice' && i.status !== 'Failed').length;
    let index = this.d.store.maxJobItemIndex(job.id) + 1;
    const added: JobItemRecord[] = [];
    const when = this.stamp();
    // Small jobs first: one movie the user waits for beats a 100-episode backlog.
    const priority = Math.min(candidates.length, 1000);
    for (const c of candidates) {
      if (job.itemLimit != null && counted >= job.itemLimit) break;
      if (inJob.has(c.id)) continue;
      const record: JobItemRecord = {
        id: newId(),
        jobId: job.id,
        itemId: c.id,
        targetId: job.targetId,
        itemName: jobItemName(c),
        status: 'Queued',
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
        errorMessage: null,
        itemDateModifiedTicks: null,
        priority,
        dateCreated: when,
        dateModified: when,
      };
      const inserted = this.activeDuplicate(record) ? { ...record, ...WAIT_BEHIND_DUPLICATE } : record;
      this.d.store.insertItem(inserted);
      added.push(inserted);
      inJob.add(c.id);
      counted++;
    }
    return added;
  }

  // ---------------------------------------------------------------- planning and converting (§5.5)

  /**
   * Plans one Queued item and moves it as far as it can go now: ReadyToTransfer when no conversion is
   * needed or a shared output is finished, Converting/Queued behind a shared output, Failed or Cancelled
   * when it cannot be synced. `known`: a plan made moments ago for the same item (a new job's); `profile`:
   * the target's, read once by a caller that processes many items (validating it costs ~0.1 ms).
   */
  processItem(ji: JobItemRecord, known?: ConversionPlan, profile?: DeviceProfile): void {
    if (ji.status !== 'Queued') return;
    const job = this.d.store.getJob(ji.jobId);
    if (!job) return;
    const user = this.d.users.get(job.userId);
    const item = user && this.d.lib.getItem(user.id, ji.itemId);
    if (!user || !item || !item.path) return this.fail(ji, job, 'The item is no longer in the library');
    // A file cut short (library/completeness.ts) would be sent as if whole: fail it with the scan's reason.
    if (item.incomplete) return this.fail(ji, job, item.incomplete.charAt(0).toUpperCase() + item.incomplete.slice(1));
    if (this.activeDuplicate(ji)) return void this.setItem(ji, job, WAIT_BEHIND_DUPLICATE);
    const source = this.d.lib.mediaSource(item);
    if (!source) return this.fail(ji, job, 'The source file has no media information');
    let plan: ConversionPlan;
    try {
      plan = known ?? this.d.planner.planFor(job, user, item, source, profile);
    } catch (err) {
      // Never left Queued: an item nobody can plan fails with a reason the user can act on.
      this.d.log.warn({ err, jobItemId: ji.id, targetId: job.targetId }, 'no conversion plan for a job item');
      return this.fail(ji, job, "No conversion plan could be made for this device's profile; report the device's capabilities again");
    }
    const common: Partial<JobItemRecord> = {
      itemDateModifiedTicks: dateToDotNetTicks(item.dateModified),
      estimatedSize: estimateSize(plan, source) ?? source.Size ?? null,
    };
    if (!needsConversion(plan)) {
      return void this.setItem(ji, job, {
        ...common,
        status: 'ReadyToTransfer',
        progress: READY_PROGRESS,
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
      ...(source.RunTimeTicks ? { sourceSeconds: source.RunTimeTicks / TICKS_PER_SECOND } : {}),
    });
    const previousKey = ji.outputKey;
    this.applyOutput({ ...ji, ...common, outputKey: out.key }, job, out, source, item);
    if (previousKey && previousKey !== out.key) this.releaseIfUnused(previousKey);
    // schedule() only enqueues after this call returns: ffmpeg never runs inside the request.
    if (out.status === 'queued' || out.status === 'converting') conversion.schedule(out.key, ji.priority);
  }

  /** Plans and moves on every Queued item of a job; `plans` by library item id, made for it moments ago. */
  processJob(jobId: string, plans?: ReadonlyMap<string, ConversionPlan>): void {
    const queued = this.d.store.itemsOfJob(jobId).filter((ji) => ji.status === 'Queued');
    if (queued.length === 0) return;
    const profile = this.d.planner.profileOf(queued[0].targetId);
    for (const ji of queued) this.d.uow.run(() => this.processItem(this.d.store.getItem(ji.id)!, plans?.get(ji.itemId), profile));
  }

  private applyOutput(ji: JobItemRecord, job: JobRecord, out: OutputState, source: MediaSourceInfo, item: SyncLibraryItem): void {
    switch (out.status) {
      case 'ready': {
        const files: ItemFileInfo[] = out.subtitleFiles.map((f) => ({ Type: 'Subtitles', Name: f.Name, Path: f.Name, Index: f.Index }));
        const media = withSidecarStreams(out.mediaSource ?? source, out);
        return void this.setItem(ji, job, {
          status: 'ReadyToTransfer',
          progress: READY_PROGRESS,
          mediaSource: { ...media, SupportsTranscoding: false },
          outputFileName: out.fileName ?? path.basename(item.path ?? ''),
          size: out.fileName ? (out.size ?? null) : (source.Size ?? item.size),
          sha256: out.sha256 ?? null,
          additionalFiles: files,
          errorMessage: null,
        });
      }
      case 'converting':
        return void this.setItem(ji, job, { status: 'Converting', progress: conversionProgress(out.progress / 100), errorMessage: null });
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
    this.d.uow.run(() => {
      for (const ji of this.d.store.itemsWithOutput(key)) {
        if (!WAITING.includes(ji.status)) continue;
        const job = this.d.store.getJob(ji.jobId);
        const user = job && this.d.users.get(job.userId);
        const item = user && this.d.lib.getItem(user.id, ji.itemId);
        const source = item && this.d.lib.mediaSource(item);
        if (!job || !item || !source) continue;
        this.applyOutput(ji, job, out, source, item);
      }
    });
  }

  // ---------------------------------------------------------------- item changes

  /** Saves an item change, releases what it left, recomputes the job, and tells the device (same transaction). */
  setItem(ji: JobItemRecord, job: JobRecord, patch: Partial<JobItemRecord>): JobItemRecord {
    if (patch.errorMessage) patch = { ...patch, errorMessage: userFacingError(patch.errorMessage, this.d.pathRoots?.()) };
    const next: JobItemRecord = { ...ji, ...patch, dateModified: this.stamp() };
    this.d.store.saveItem(next);
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
    // The whole text, server paths included, is for the administrator's log; the item gets a user's version.
    this.d.log.warn({ jobItemId: ji.id, itemId: ji.itemId, reason: message }, 'job item failed');
    this.setItem(ji, job, { status: 'Failed', errorMessage: message });
  }

  releaseIfUnused(key: string): void {
    const stillUsed = this.d.store.itemsWithOutput(key).some((i) => ACTIVE_STATUSES.includes(i.status));
    if (!stillUsed) this.d.conversion?.release(key);
  }

  recomputeJob(jobId: string): void {
    const items = this.d.store.itemsOfJob(jobId);
    const job = this.d.store.getJob(jobId);
    if (!job) return;
    const { Status, Progress } = deriveJobStatus(
      items.map((i) => ({ Status: i.status, Progress: i.progress, ThroughOtherJob: isWaitingBehindOtherJob(i) })),
    );
    const progress = Progress === undefined ? null : Math.round(Progress * 100) / 100;
    if (this.d.store.setJobStatus(jobId, Status, progress, items.length, this.stamp())) {
      this.d.events.emitEvent('jobChanged', { jobId, userId: job.userId, targetId: job.targetId });
    }
  }

  // ---------------------------------------------------------------- duplicates (§5.3)
  // One active item (Queued … Synced) per library item and target across jobs: a newcomer waits as
  // Cancelled with this message, and is queued again when the other one leaves the active states.

  /** The other job's active item this one would duplicate on its device, if any. */
  private activeDuplicate(ji: Pick<JobItemRecord, 'id' | 'itemId' | 'targetId'>): JobItemRecord | undefined {
    return this.d.store.activeItemFor(ji.itemId, ji.targetId, ji.id);
  }

  /** An item left the device: a newer job's Cancelled item for the same library item may now go. */
  wakeWaitingDuplicate(left: Pick<JobItemRecord, 'id' | 'itemId' | 'targetId'>): void {
    if (this.d.store.activeItemFor(left.itemId, left.targetId)) return;
    const waiting = this.d.store
      .itemsForLibraryItem(left.itemId)
      .find((i) => i.targetId === left.targetId && i.id !== left.id && i.status === 'Cancelled' && !i.isMarkedForRemoval);
    if (!waiting) return;
    const job = this.d.store.getJob(waiting.jobId);
    if (!job) return;
    const queued = this.setItem(waiting, job, { status: 'Queued', progress: 0, errorMessage: null });
    this.processItem(queued);
  }
}

/** How an item waits behind another job's copy of the same library item on the same device. */
export const WAIT_BEHIND_DUPLICATE: Pick<JobItemRecord, 'status' | 'errorMessage'> = {
  status: 'Cancelled',
  errorMessage: 'Already on this device through another sync job',
};

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
