/**
 * Commands on sync jobs and their items (API.md §3, §5.1, §5.11): create, edit, delete, and the per-item
 * actions (cancel, keep, retry), and cancelling items on a device. Reads live in jobViews.ts.
 */
import type { AuthContext } from '../auth/authService.js';
import type { UserRecord } from '../auth/usersRepo.js';
import { badRequest, forbidden } from '../errors.js';
import type { SyncEvents } from '../events/syncEvents.js';
import { newId, normalizeId } from '../ids.js';
import type { SyncCategory, SyncJobCreationResult, SyncJobRequest } from '../../shared/api/sync.js';
import { defaultQualityId, isQualityAllowed, parseQualityId } from '../../shared/quality.js';
import type { ConversionPort } from './conversionPort.js';
import type { ItemPlanner } from './itemPlanner.js';
import type { JobCancellation } from './jobCancellation.js';
import type { JobItemProcessor } from './jobItemProcessor.js';
import type { JobViews } from './jobViews.js';
import type { JobItemRepository, JobRepository, UnitOfWork, UserDirectory } from './ports.js';
import type { JobItemRecord, JobRecord } from './records.js';
import type { SyncAccess } from './syncAccess.js';
import { positiveInt, type SyncDialog } from './syncDialog.js';
import type { SyncCandidate, SyncLibrary } from './syncLibrary.js';

/** A job request as the client sent it: any field may be missing (the checks of §5.1 say which matter). */
export type CreateJobInput = Partial<SyncJobRequest>;

export interface UpdateJobInput {
  Name?: string;
  Quality?: string;
  Bitrate?: number | null;
  Profile?: string;
  UnwatchedOnly?: boolean;
  SyncNewContent?: boolean;
  ItemLimit?: number | null;
}

export interface SyncJobsDeps {
  store: JobRepository & JobItemRepository;
  uow: UnitOfWork;
  lib: SyncLibrary;
  users: UserDirectory;
  access: SyncAccess;
  dialog: Pick<SyncDialog, 'targets'>;
  planner: ItemPlanner;
  processor: JobItemProcessor;
  cancellation: JobCancellation;
  views: JobViews;
  events: Pick<SyncEvents, 'emitEvent'>;
  conversion?: ConversionPort;
  now?: () => Date;
}

/** States an item on a device can be cancelled from (DELETE /Sync/{TargetId}/Items). */
const CANCELLABLE: readonly string[] = ['Queued', 'Converting', 'ReadyToTransfer', 'Transferring', 'Synced', 'Failed'];
/** Items an edit that changes the conversion plans again; Transferring/Synced keep their files. */
const REPLANNABLE: readonly string[] = ['Queued', 'Converting', 'ReadyToTransfer'];

function checkItemLimit(limit: number | null | undefined): void {
  if (limit !== undefined && limit !== null && !(limit >= 1)) throw badRequest('ItemLimit must be at least 1');
}

export class SyncJobs {
  private readonly now: () => Date;

  constructor(private readonly d: SyncJobsDeps) {
    this.now = d.now ?? (() => new Date());
  }

  // ---------------------------------------------------------------- create (§5.1)

  createJob(caller: AuthContext, input: CreateJobInput): SyncJobCreationResult {
    const { job, user } = this.newJob(caller, input);
    // Plan first: a job whose items cannot be planned is refused before anything is written.
    const { candidates, plans } = this.d.planner.planNewJob(job, user);
    this.d.uow.run(() => {
      this.d.store.insertJob(job);
      this.d.processor.ensureJobItems(job, candidates);
      this.d.processor.recomputeJob(job.id);
    });
    this.d.processor.processJob(job.id, plans);
    const result = this.d.views.creationResult(job.id);
    this.d.events.emitEvent('jobCreated', { userId: job.userId, targetId: job.targetId, result });
    return result;
  }

  /** The checks of §5.1, in order, and the job they allow (not saved yet). */
  private newJob(caller: AuthContext, input: CreateJobInput): { job: JobRecord; user: UserRecord } {
    if (!caller.user.policy.EnableSync) throw forbidden('Sync is not enabled for this user');
    const userId = this.d.access.actingUserId(caller, input.UserId);
    const user = this.d.users.get(userId)!;
    if (!user.policy.EnableSync) throw forbidden('Sync is not enabled for this user');
    if (!input.TargetId) throw badRequest('TargetId is required');
    if (!this.d.dialog.targets(userId).some((t) => t.Id === input.TargetId)) {
      throw badRequest('TargetId is not a sync target of this user (sign in on the device and report SupportsSync)');
    }
    const category = input.Category ?? null;
    const requested = category ? [] : (input.ItemIds ?? []).map((raw) => normalizeId(raw));
    if (!category && requested.length === 0) throw badRequest('Give ItemIds or a Category');
    if (requested.some((id) => !id)) throw badRequest('ItemIds holds an invalid id');
    const ids = [...new Set(requested as string[])];
    const found = this.d.lib.candidates(userId, ids);
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length) throw badRequest(`Unknown item${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`);
    const quality = input.Quality ? parseQualityId(input.Quality) : defaultQualityId(user.policy);
    if (!quality) throw badRequest(`Unknown quality "${input.Quality}"`);
    const bitrate = positiveInt(input.Bitrate);
    if (input.Bitrate !== undefined && input.Bitrate !== null && bitrate === null)
      throw badRequest('Bitrate must be a positive number of bits per second');
    if (!isQualityAllowed(user.policy, quality, bitrate)) throw forbidden('Only Original quality is allowed for this user');
    checkItemLimit(input.ItemLimit);
    const parentId = input.ParentId ? normalizeId(input.ParentId) : undefined;
    if (input.ParentId && !parentId) throw badRequest('ParentId is not a valid id');

    const items = ids.map((id) => found.get(id)!);
    const grows = items.some((i) => i.isFolder || !i.hasFile);
    const when = this.now().toISOString();
    const job: JobRecord = {
      id: newId(),
      userId,
      targetId: input.TargetId,
      name: input.Name?.trim() || this.defaultName(userId, category, parentId, items),
      quality,
      bitrate,
      profile: input.Profile ?? '',
      category,
      parentId: parentId ?? null,
      requestedItemIds: ids,
      unwatchedOnly: !!input.UnwatchedOnly,
      // SyncNewContent defaults true, but a fixed selection of single items can never grow.
      syncNewContent: (category !== null || grows) && input.SyncNewContent !== false,
      itemLimit: positiveInt(input.ItemLimit),
      status: 'Queued',
      progress: null,
      itemCount: 0,
      dateCreated: when,
      dateLastModified: when,
    };
    return { job, user };
  }

  private defaultName(userId: string, category: SyncCategory | null, parentId: string | undefined, items: SyncCandidate[]): string {
    if (category) {
      const parent = parentId ? this.d.lib.getItem(userId, parentId) : undefined;
      const label = category === 'NextUp' ? 'Next Up' : category;
      return parent ? `${label} – ${parent.name}` : label;
    }
    if (items.length === 1) {
      const i = items[0];
      const seriesName = i.type === 'Season' ? this.d.lib.getItem(userId, i.id)?.seriesName : undefined;
      return seriesName ? `${seriesName} – ${i.name}` : i.name;
    }
    return `Sync ${this.now().toISOString().slice(0, 16).replace('T', ' ')}`;
  }

  // ---------------------------------------------------------------- edit (§3 "Edit job")

  updateJob(caller: AuthContext, id: string, input: UpdateJobInput): void {
    const job = this.d.access.job(caller, normalizeId(id));
    const owner = this.d.users.get(job.userId);
    if (!owner || !owner.policy.EnableSync || !caller.user.policy.EnableSync) throw forbidden('Sync is not enabled for this user');
    const quality = input.Quality !== undefined ? parseQualityId(input.Quality) : (parseQualityId(job.quality) ?? 'high');
    if (!quality) throw badRequest(`Unknown quality "${input.Quality}"`);
    const bitrate = input.Bitrate === undefined ? job.bitrate : positiveInt(input.Bitrate);
    if (!isQualityAllowed(owner.policy, quality, bitrate)) throw forbidden('Only Original quality is allowed for this user');
    checkItemLimit(input.ItemLimit);
    const next: JobRecord = {
      ...job,
      name: input.Name?.trim() || job.name,
      quality,
      bitrate,
      profile: input.Profile ?? job.profile,
      unwatchedOnly: input.UnwatchedOnly ?? job.unwatchedOnly,
      syncNewContent: input.SyncNewContent ?? job.syncNewContent,
      itemLimit: input.ItemLimit === undefined ? job.itemLimit : positiveInt(input.ItemLimit),
      dateLastModified: this.now().toISOString(),
    };
    const replan = next.quality !== job.quality || next.bitrate !== job.bitrate || next.profile !== job.profile;
    this.d.uow.run(() => {
      this.d.store.updateJobSettings(next);
      if (replan) for (const ji of this.d.store.itemsOfJob(job.id)) if (REPLANNABLE.includes(ji.status)) this.unplan(ji, next);
      this.d.processor.ensureJobItems(next);
      this.d.processor.recomputeJob(job.id);
    });
    this.d.events.emitEvent('jobChanged', { jobId: job.id, userId: job.userId, targetId: job.targetId });
    this.d.processor.processJob(job.id);
  }

  /** Back to Queued without a plan or output, so the next pass plans it under the job's new settings. */
  private unplan(ji: JobItemRecord, job: JobRecord): void {
    this.d.processor.setItem(ji, job, {
      status: 'Queued',
      progress: 0,
      outputKey: null,
      mediaSource: null,
      outputFileName: null,
      size: null,
      sha256: null,
      additionalFiles: [],
    });
    if (ji.outputKey) this.d.processor.releaseIfUnused(ji.outputKey);
  }

  // ---------------------------------------------------------------- delete and per-item actions

  deleteJob(caller: AuthContext, id: string): void {
    this.d.cancellation.cancelJob(this.d.access.job(caller, normalizeId(id)));
  }

  cancelItem(caller: AuthContext, id: string): void {
    const { item, job } = this.d.access.item(caller, normalizeId(id));
    this.d.cancellation.cancelItem(item, job);
  }

  unmarkItem(caller: AuthContext, id: string): void {
    const { item, job } = this.d.access.item(caller, normalizeId(id));
    if (item.status !== 'Synced') throw badRequest('Only a Synced item can be kept');
    this.d.uow.run(() => this.d.processor.setItem(item, job, { isMarkedForRemoval: false }));
  }

  enableItem(caller: AuthContext, id: string): void {
    const { item, job } = this.d.access.item(caller, normalizeId(id));
    if (item.status !== 'Failed' && item.status !== 'Cancelled') throw badRequest('Only a Failed or Cancelled item can be retried');
    if (item.outputKey && this.d.conversion?.getOutput(item.outputKey)?.status === 'failed') this.d.conversion.retry(item.outputKey);
    this.d.uow.run(() =>
      this.d.processor.setItem(item, job, { status: 'Queued', progress: 0, isMarkedForRemoval: false, errorMessage: null }),
    );
    this.d.processor.processJob(job.id);
  }

  /** A device was removed: its sync jobs go with it — every user's, or only `userId`'s (DevicesService). */
  cancelJobsOnTarget(targetId: string, userId?: string): void {
    for (const job of this.d.store.jobsOfTarget(targetId)) if (!userId || job.userId === userId) this.d.cancellation.cancelJob(job);
  }

  /**
   * DELETE /Sync/{TargetId}/Items: cancel those items on the device and drop the jobs that asked for them.
   * Through a shared device a user removes only their own: if another user's job or item would go, the
   * whole call is refused and nothing changes.
   */
  cancelItemsOnTarget(caller: AuthContext, targetId: string, itemIds: string[]): void {
    this.d.access.requireTarget(caller, targetId);
    const ids = itemIds.map((raw) => normalizeId(raw) ?? raw);
    const items: JobItemRecord[] = [];
    const jobs = new Map<string, JobRecord>();
    for (const itemId of ids) {
      for (const ji of this.d.store.itemsForLibraryItem(itemId)) {
        if (ji.targetId === targetId && CANCELLABLE.includes(ji.status)) items.push(ji);
      }
      for (const job of this.d.store.jobsOfTarget(targetId)) if (job.requestedItemIds.includes(itemId)) jobs.set(job.id, job);
    }
    const owners = [...jobs.values(), ...items.map((ji) => this.d.store.getJob(ji.jobId))];
    if (owners.some((job) => job && !this.d.access.ownsJob(caller, job))) {
      throw forbidden('Another user’s sync job holds these items on this device; only they can remove it');
    }
    for (const ji of items) {
      const job = this.d.store.getJob(ji.jobId);
      const fresh = this.d.store.getItem(ji.id);
      if (job && fresh) this.d.cancellation.cancelItem(fresh, job);
    }
    for (const job of jobs.values()) if (this.d.store.getJob(job.id)) this.d.cancellation.cancelJob(job);
  }
}
