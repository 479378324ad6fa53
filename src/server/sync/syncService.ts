/**
 * The /Sync API's behaviour (API.md §3, §5): targets, dialog options, jobs and their items, transfer,
 * cancel. Routes validate and call this; item lifecycle lives in JobItemProcessor, Sync/Data and offline
 * actions in reconcile.ts.
 */
import type { Logger } from 'pino';
import type { AuthContext } from '../auth/authService.js';
import type { DevicesRepo } from '../auth/devicesRepo.js';
import type { UsersRepo } from '../auth/usersRepo.js';
import type { Db } from '../db/connection.js';
import { tx } from '../db/connection.js';
import { badRequest, forbidden, notFound } from '../http/errors.js';
import { newId, normalizeId } from '../ids.js';
import type { BaseItemDto } from '../../shared/api/items.js';
import type {
  SyncCategory,
  SyncDialogOptions,
  SyncJob,
  SyncJobCreationResult,
  SyncJobItem,
  SyncTarget,
  SyncedItem,
} from '../../shared/api/sync.js';
import { estimateSize } from '../../shared/profile/decision.js';
import { isQualityAllowed, parseQualityId, defaultQualityId, qualityOptions, type SyncQualityId } from '../../shared/quality.js';
import { syncDialogOptions } from '../../shared/syncOptions.js';
import { expandJob, isItemSyncable } from './expansion.js';
import type { JobItemProcessor } from './jobItemProcessor.js';
import type { SyncAccess } from './syncAccess.js';
import { toSyncJob, toSyncJobItem, toSyncedItem } from './syncDto.js';
import type { SyncEvents } from './syncEvents.js';
import type { SyncLibrary } from './syncLibrary.js';
import { ACTIVE_STATUSES, type JobItemRecord, type JobRecord, type SyncRepo } from './syncRepo.js';
import type { ConversionPort } from './conversionPort.js';
import { OtherJobCopies } from './otherJobCopies.js';
import { summarizeJobItems, type ServerItemState } from '../../shared/syncProgress.js';

export interface CreateJobInput {
  TargetId?: string;
  ItemIds?: string[];
  Category?: SyncCategory;
  ParentId?: string;
  Quality?: string;
  Profile?: string;
  Name?: string;
  UserId?: string;
  UnwatchedOnly?: boolean;
  SyncNewContent?: boolean;
  ItemLimit?: number;
  Bitrate?: number;
}

export interface UpdateJobInput {
  Name?: string;
  Quality?: string;
  Bitrate?: number | null;
  Profile?: string;
  UnwatchedOnly?: boolean;
  SyncNewContent?: boolean;
  ItemLimit?: number | null;
}

export interface SyncServiceDeps {
  db: Db;
  repo: SyncRepo;
  lib: SyncLibrary;
  users: UsersRepo;
  devices: DevicesRepo;
  access: SyncAccess;
  processor: JobItemProcessor;
  events: SyncEvents;
  conversion?: ConversionPort;
  /** Items other jobs already sync to the same device (issue 15 §4). */
  copies?: OtherJobCopies;
  serverId: string;
  /** BaseItemDto of a library item for a user (SyncedItem.Item, images). */
  /** BaseItemDtos of library items for a user, in one batch (Items/Ready lists many at once). */
  itemDtos: (userId: string, itemIds: readonly string[]) => Map<string, BaseItemDto>;
  log: Pick<Logger, 'info' | 'warn' | 'error' | 'debug'>;
  now?: () => Date;
}

const CANCELLABLE: readonly string[] = ['Queued', 'Converting', 'ReadyToTransfer', 'Transferring', 'Synced', 'Failed'];

function positiveInt(v: number | null | undefined): number | null {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.floor(v) : null;
}

export class SyncService {
  private readonly now: () => Date;
  private readonly copies: OtherJobCopies;

  constructor(private readonly d: SyncServiceDeps) {
    this.now = d.now ?? (() => new Date());
    this.copies = d.copies ?? new OtherJobCopies(d.db);
  }

  private stamp(): string {
    return this.now().toISOString();
  }

  // ---------------------------------------------------------------- targets and options

  /** Devices the user signed in on that reported SupportsSync, within the device policy (API.md §2). */
  targets(userId: string): SyncTarget[] {
    const user = this.d.users.get(userId);
    if (!user || !user.policy.EnableSync) return [];
    return this.d.devices
      .listForUser(userId)
      .filter((dev) => dev.capabilities?.SupportsSync)
      .filter((dev) => user.policy.EnableAllDevices || user.policy.EnabledDevices.includes(dev.id))
      .map((dev) => ({ Id: dev.id, Name: dev.name }))
      .sort((a, b) => a.Name.localeCompare(b.Name));
  }

  options(
    caller: AuthContext,
    q: {
      UserId?: string;
      ItemIds?: string[];
      ParentId?: string;
      TargetId?: string;
      Category?: SyncCategory;
      UnwatchedOnly?: boolean;
      ItemLimit?: number;
      Bitrate?: number;
    },
  ): SyncDialogOptions {
    const userId = this.userIdFor(caller, q.UserId);
    const user = this.d.users.get(userId)!;
    let targets = this.targets(userId);
    if (q.TargetId) targets = targets.filter((t) => t.Id === q.TargetId);
    if (!q.Category && !q.ItemIds?.length) throw badRequest('Give ItemIds or a Category');
    const ids = (q.ItemIds ?? []).map((raw) => normalizeId(raw) ?? raw);
    const found = this.d.lib.candidates(userId, ids);
    const selected = ids.map((id) => found.get(id)).filter((i) => !!i && isItemSyncable(i));
    const Options = syncDialogOptions({
      category: q.Category,
      items: selected.map((i) => ({ Type: i!.type, IsFolder: i!.isFolder, MediaType: i!.mediaType ?? undefined })),
    });
    if (!q.TargetId || targets.length === 0) return { Targets: targets, Options, QualityOptions: [], ProfileOptions: [] };
    const estimate = (quality: SyncQualityId) =>
      this.estimateSelection(user.id, q.TargetId!, {
        category: q.Category ?? null,
        parentId: q.ParentId ? (normalizeId(q.ParentId) ?? null) : null,
        requestedItemIds: ids,
        unwatchedOnly: !!q.UnwatchedOnly,
        itemLimit: positiveInt(q.ItemLimit),
        quality,
        bitrate: positiveInt(q.Bitrate),
      });
    return {
      Targets: targets,
      Options,
      QualityOptions: user.policy.EnableSync ? qualityOptions(user.policy, estimate) : [],
      // Device targets offer no profiles (API.md §5.7).
      ProfileOptions: [],
      AlreadyOnTarget: this.selectionOnTarget(user.id, q.TargetId, {
        category: q.Category ?? null,
        parentId: q.ParentId ? (normalizeId(q.ParentId) ?? null) : null,
        requestedItemIds: ids,
        unwatchedOnly: !!q.UnwatchedOnly,
        itemLimit: positiveInt(q.ItemLimit),
      }),
    };
  }

  /** Issue 15 §4: "2 of 5 are already on this device", said before the job exists. */
  private selectionOnTarget(
    userId: string,
    targetId: string,
    sel: {
      category: SyncCategory | null;
      parentId: string | null;
      requestedItemIds: string[];
      unwatchedOnly: boolean;
      itemLimit: number | null;
    },
  ) {
    let items = expandJob(this.d.lib, { userId, ...sel });
    if (sel.itemLimit) items = items.slice(0, sel.itemLimit);
    return this.copies.onTarget(
      targetId,
      items.map((i) => i.id),
    );
  }

  /** Bytes a selection would take on a target at a quality, before any job exists (§9.5). */
  estimateSelection(
    userId: string,
    targetId: string,
    sel: {
      category: SyncCategory | null;
      parentId: string | null;
      requestedItemIds: string[];
      unwatchedOnly: boolean;
      itemLimit: number | null;
      quality: SyncQualityId;
      bitrate: number | null;
    },
  ): number | undefined {
    const user = this.d.users.get(userId);
    if (!user) return undefined;
    let items = expandJob(this.d.lib, { userId, ...sel });
    if (sel.itemLimit) items = items.slice(0, sel.itemLimit);
    const pseudoJob = { targetId, quality: sel.quality, bitrate: sel.bitrate } as JobRecord;
    let total = 0;
    for (const candidate of items) {
      const item = this.d.lib.getItem(userId, candidate.id);
      const source = item && this.d.lib.mediaSource(item);
      if (!item || !source) continue;
      total += estimateSize(this.d.processor.planFor(pseudoJob, user, item, source), source) ?? source.Size ?? 0;
    }
    return total;
  }

  private userIdFor(caller: AuthContext, requested: string | undefined): string {
    const id = requested ? normalizeId(requested) : caller.user.id;
    if (!id) throw badRequest('UserId is not a valid id');
    if (id !== caller.user.id && !caller.user.policy.IsAdministrator) throw forbidden('You may only act for yourself');
    if (!this.d.users.get(id)) throw badRequest('Unknown user');
    return id;
  }

  // ---------------------------------------------------------------- create (§5.1)

  createJob(caller: AuthContext, input: CreateJobInput): SyncJobCreationResult {
    if (!caller.user.policy.EnableSync) throw forbidden('Sync is not enabled for this user');
    const userId = this.userIdFor(caller, input.UserId);
    const user = this.d.users.get(userId)!;
    if (!user.policy.EnableSync) throw forbidden('Sync is not enabled for this user');
    if (!input.TargetId) throw badRequest('TargetId is required');
    if (!this.targets(userId).some((t) => t.Id === input.TargetId)) {
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
    if (input.ItemLimit !== undefined && input.ItemLimit !== null && !(input.ItemLimit >= 1))
      throw badRequest('ItemLimit must be at least 1');
    const parentId = input.ParentId ? normalizeId(input.ParentId) : undefined;
    if (input.ParentId && !parentId) throw badRequest('ParentId is not a valid id');

    const items = ids.map((id) => found.get(id)!);
    const grows = items.some((i) => i.isFolder || !i.hasFile);
    const when = this.stamp();
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
    tx(this.d.db, () => {
      this.d.repo.insertJob(job);
      this.d.processor.ensureJobItems(job);
      this.d.processor.recomputeJob(job.id);
    });
    this.d.processor.processJob(job.id, true);
    const result = this.creationResult(job.id);
    this.d.events.emitEvent('jobCreated', { userId, targetId: job.targetId, result });
    return result;
  }

  private defaultName(
    userId: string,
    category: SyncCategory | null,
    parentId: string | undefined,
    items: { id: string; name: string; type: string }[],
  ): string {
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
    return `Sync ${new Date(this.now()).toISOString().slice(0, 16).replace('T', ' ')}`;
  }

  creationResult(jobId: string): SyncJobCreationResult {
    const job = this.d.repo.getJob(jobId)!;
    return { Job: this.jobDto(job), JobItems: this.d.repo.itemsOfJob(job.id).map((i) => this.itemDto(i, job)) };
  }

  // ---------------------------------------------------------------- read

  jobDto(job: JobRecord): SyncJob {
    const items = this.d.repo.itemsOfJob(job.id);
    const counted = items.filter((i) => !['Failed', 'Cancelled', 'RemovedFromDevice'].includes(i.status));
    const estimated = counted.reduce((s, i) => s + (i.size ?? i.estimatedSize ?? 0), 0);
    const first = job.requestedItemIds[0] ? this.d.lib.getItem(job.userId, job.requestedItemIds[0]) : undefined;
    const imageItem = first?.imageTag ? first : items[0] ? this.d.lib.getItem(job.userId, items[0].itemId) : undefined;
    return toSyncJob(job, {
      targetName: this.d.devices.get(job.targetId)?.name,
      parentName: first?.seriesName ?? first?.albumArtist ?? undefined,
      primaryImageItemId: imageItem?.imageTag ? imageItem.id : undefined,
      primaryImageTag: imageItem?.imageTag ?? undefined,
      estimatedSize: counted.length ? estimated : undefined,
      syncSummary: summarizeJobItems(items.map((i) => this.progressStateOf(i))),
    });
  }

  /** What the shared progress model (src/shared/syncProgress.ts) needs of a job item. */
  private progressStateOf(i: JobItemRecord): ServerItemState {
    return {
      Status: i.status,
      Progress: i.progress,
      Size: i.size ?? undefined,
      EstimatedSize: i.estimatedSize ?? undefined,
      ...this.copies.throughJobOf(i),
    };
  }

  itemDto(i: JobItemRecord, job?: JobRecord, withImage = true): SyncJobItem {
    let image: { itemId: string; tag: string } | undefined;
    if (withImage) {
      const owner = job ?? this.d.repo.getJob(i.jobId);
      const item = owner && this.d.lib.getItem(owner.userId, i.itemId);
      if (item?.imageTag) image = { itemId: item.id, tag: item.imageTag };
    }
    return toSyncJobItem(i, image, this.copies.throughJobOf(i));
  }

  listJobs(
    caller: AuthContext,
    q: {
      StartIndex?: number;
      Limit?: number;
      TargetId?: string;
      UserId?: string;
      ExcludeTargetIds?: string[];
      ItemId?: string;
      Statuses?: string[];
      SyncNewContent?: boolean;
    },
  ): { Items: SyncJob[]; TotalRecordCount: number } {
    // Everyone's jobs only for an administrator who asks for no particular user (API.md §2 Access).
    const userId = q.UserId ? this.userIdFor(caller, q.UserId) : caller.user.policy.IsAdministrator ? undefined : caller.user.id;
    const { items, total } = this.d.repo.queryJobs({
      userId,
      targetId: q.TargetId,
      excludeTargetIds: q.ExcludeTargetIds,
      itemId: q.ItemId ? (normalizeId(q.ItemId) ?? q.ItemId) : undefined,
      statuses: q.Statuses,
      syncNewContent: q.SyncNewContent,
      startIndex: q.StartIndex,
      limit: q.Limit,
    });
    return { Items: items.map((j) => this.jobDto(j)), TotalRecordCount: total };
  }

  getJob(caller: AuthContext, id: string): SyncJob {
    return this.jobDto(this.d.access.job(caller, normalizeId(id)));
  }

  listJobItems(
    caller: AuthContext,
    q: {
      StartIndex?: number;
      Limit?: number;
      JobId?: string;
      ItemId?: string;
      TargetId?: string;
      Statuses?: string[];
      AddMetadata?: boolean;
    },
  ): { Items: SyncJobItem[]; TotalRecordCount: number } {
    const isAdmin = caller.user.policy.IsAdministrator;
    if (q.JobId) this.d.access.job(caller, normalizeId(q.JobId));
    const { items, total } = this.d.repo.queryItems({
      jobId: q.JobId ? normalizeId(q.JobId) : undefined,
      itemId: q.ItemId ? (normalizeId(q.ItemId) ?? q.ItemId) : undefined,
      targetId: q.TargetId,
      statuses: q.Statuses,
      userId: isAdmin ? undefined : caller.user.id,
      startIndex: q.StartIndex,
      limit: q.Limit,
    });
    return { Items: items.map((i) => this.itemDto(i, undefined, !!q.AddMetadata)), TotalRecordCount: total };
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
    if (input.ItemLimit !== undefined && input.ItemLimit !== null && !(input.ItemLimit >= 1))
      throw badRequest('ItemLimit must be at least 1');
    const next: JobRecord = {
      ...job,
      name: input.Name?.trim() || job.name,
      quality,
      bitrate,
      profile: input.Profile ?? job.profile,
      unwatchedOnly: input.UnwatchedOnly ?? job.unwatchedOnly,
      syncNewContent: input.SyncNewContent ?? job.syncNewContent,
      itemLimit: input.ItemLimit === undefined ? job.itemLimit : positiveInt(input.ItemLimit),
      dateLastModified: this.stamp(),
    };
    const replan = next.quality !== job.quality || next.bitrate !== job.bitrate || next.profile !== job.profile;
    tx(this.d.db, () => {
      this.d.repo.updateJobSettings(next);
      if (replan) {
        // Items not yet on the device are planned again; Transferring/Synced keep their files.
        for (const ji of this.d.repo.itemsOfJob(job.id)) {
          if (!['Queued', 'Converting', 'ReadyToTransfer'].includes(ji.status)) continue;
          const reset = this.d.processor.setItem(ji, next, {
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
          void reset;
        }
      }
      this.d.processor.ensureJobItems(next);
      this.d.processor.recomputeJob(job.id);
    });
    this.d.events.emitEvent('jobChanged', { jobId: job.id, userId: job.userId, targetId: job.targetId });
    this.d.processor.processJob(job.id, true);
  }

  // ---------------------------------------------------------------- cancel (§5.11)

  deleteJob(caller: AuthContext, id: string): void {
    this.cancelJob(this.d.access.job(caller, normalizeId(id)));
  }

  cancelJob(job: JobRecord): void {
    const dto = this.jobDto(job);
    const keys = new Set<string>();
    const leaving: JobItemRecord[] = [];
    tx(this.d.db, () => {
      for (const ji of this.d.repo.itemsOfJob(job.id)) {
        if (ji.outputKey) keys.add(ji.outputKey);
        if (ACTIVE_STATUSES.includes(ji.status)) leaving.push(ji);
      }
      this.d.repo.deleteJob(job.id);
      // Another job's item for the same library item and device was waiting (Cancelled): it goes now.
      for (const ji of leaving) this.d.processor.wakeWaitingDuplicate(ji);
    });
    for (const key of keys) this.d.processor.releaseIfUnused(key);
    this.d.events.emitEvent('jobCancelled', { userId: job.userId, targetId: job.targetId, job: { ...dto, Status: 'Cancelled' } });
    this.d.events.emitEvent('jobChanged', { jobId: job.id, userId: job.userId, targetId: job.targetId });
  }

  /** A device was removed: its sync jobs go with it — every user's, or only `userId`'s (DevicesService). */
  cancelJobsOnTarget(targetId: string, userId?: string): void {
    for (const job of this.d.repo.jobsOfTarget(targetId)) if (!userId || job.userId === userId) this.cancelJob(job);
  }

  /** DELETE /Sync/JobItems/{id} and MarkForRemoval: a Synced item is marked to leave the device; others are cancelled. */
  cancelItem(caller: AuthContext, id: string): void {
    const { item, job } = this.d.access.item(caller, normalizeId(id));
    this.cancelJobItem(item, job);
  }

  private cancelJobItem(item: JobItemRecord, job: JobRecord): void {
    let jobEmpty = false;
    tx(this.d.db, () => {
      const next =
        item.status === 'Synced'
          ? this.d.processor.setItem(item, job, { isMarkedForRemoval: true })
          : this.d.processor.setItem(item, job, { status: 'Cancelled', progress: 0, isMarkedForRemoval: true });
      this.d.events.emitEvent('itemCancelled', { userId: job.userId, targetId: job.targetId, item: this.itemDto(next, job, false) });
      const live = this.d.repo
        .itemsOfJob(job.id)
        .some((i) => ACTIVE_STATUSES.includes(i.status) && !(i.status === 'Synced' && i.isMarkedForRemoval));
      jobEmpty = !live && !this.d.repo.itemsOfJob(job.id).some((i) => i.status === 'Synced');
    });
    if (jobEmpty) this.cancelJob(job);
  }

  unmarkItem(caller: AuthContext, id: string): void {
    const { item, job } = this.d.access.item(caller, normalizeId(id));
    if (item.status !== 'Synced') throw badRequest('Only a Synced item can be kept');
    tx(this.d.db, () => this.d.processor.setItem(item, job, { isMarkedForRemoval: false }));
  }

  enableItem(caller: AuthContext, id: string): void {
    const { item, job } = this.d.access.item(caller, normalizeId(id));
    if (item.status !== 'Failed' && item.status !== 'Cancelled') throw badRequest('Only a Failed or Cancelled item can be retried');
    if (item.outputKey && this.d.conversion?.getOutput(item.outputKey)?.status === 'failed') this.d.conversion.retry(item.outputKey);
    tx(this.d.db, () =>
      this.d.processor.setItem(item, job, { status: 'Queued', progress: 0, isMarkedForRemoval: false, errorMessage: null }),
    );
    this.d.processor.processJob(job.id, true);
  }

  /** DELETE /Sync/{TargetId}/Items: cancel those items on the device and drop the jobs that asked for them. */
  cancelItemsOnTarget(caller: AuthContext, targetId: string, itemIds: string[]): void {
    this.d.access.requireTarget(caller, targetId);
    const ids = itemIds.map((raw) => normalizeId(raw) ?? raw);
    for (const itemId of ids) {
      for (const ji of this.d.repo.itemsForLibraryItem(itemId)) {
        if (ji.targetId !== targetId || !CANCELLABLE.includes(ji.status)) continue;
        const job = this.d.repo.getJob(ji.jobId);
        if (job) this.cancelJobItem(this.d.repo.getItem(ji.id)!, job);
      }
      for (const job of this.d.repo.jobsOfTarget(targetId)) {
        if (job.requestedItemIds.includes(itemId) && this.d.repo.getJob(job.id)) this.cancelJob(job);
      }
    }
  }

  // ---------------------------------------------------------------- new content (§5.4)

  /**
   * What a refresh depends on (the library, played states, jobs) changed. Items/Ready re-expands a
   * target's jobs only after such a change, or once a minute: clients poll it, and expanding a large
   * category on every poll would cost seconds per request on a 20 000-item library.
   */
  markChanged(): void {
    this.changeVersion++;
  }
  private changeVersion = 0;
  private readonly refreshedAt = new Map<string, { version: number; at: number }>();

  private refreshTargetIfStale(targetId: string): void {
    const last = this.refreshedAt.get(targetId);
    const now = this.now().getTime();
    if (last && last.version === this.changeVersion && now - last.at < 60_000) return;
    this.refreshedAt.set(targetId, { version: this.changeVersion, at: now });
    this.refresh(targetId, true);
  }

  /** Re-expands SyncNewContent jobs (of one target, or all) and runs the non-converting pass. */
  refresh(targetId?: string, allowConversion = false): void {
    const jobs = targetId ? this.d.repo.jobsOfTarget(targetId) : this.d.repo.allJobs();
    for (const job of jobs) {
      const owner = this.d.users.get(job.userId);
      if (!owner) {
        // Jobs of deleted users are cancelled (§5.4).
        this.cancelJob(job);
        continue;
      }
      if (!job.syncNewContent || !owner.policy.EnableSync) continue;
      let added = 0;
      tx(this.d.db, () => {
        added = this.d.processor.ensureJobItems(job).length;
        if (added) this.d.processor.recomputeJob(job.id);
      });
      if (added) this.d.processor.processJob(job.id, allowConversion);
    }
  }

  /**
   * Library items left the library: items not yet on the device fail with the reason (the job goes on);
   * Synced copies are removed from the device by the next Sync/Data.
   */
  libraryItemsRemoved(itemIds: readonly string[]): void {
    for (const itemId of itemIds) {
      for (const ji of this.d.repo.itemsForLibraryItem(itemId)) {
        if (!['Queued', 'Converting', 'ReadyToTransfer', 'Transferring'].includes(ji.status)) continue;
        const job = this.d.repo.getJob(ji.jobId);
        if (job) tx(this.d.db, () => this.d.processor.fail(this.d.repo.getItem(ji.id)!, job, 'The item is no longer in the library'));
      }
    }
  }

  /** The rolling window: after an item leaves, a job with UnwatchedOnly/ItemLimit gets its next item. */
  refreshJob(jobId: string): void {
    const job = this.d.repo.getJob(jobId);
    if (!job) return;
    const owner = this.d.users.get(job.userId);
    if (!owner?.policy.EnableSync) return;
    tx(this.d.db, () => {
      this.d.processor.ensureJobItems(job);
      this.d.processor.recomputeJob(job.id);
    });
    this.d.processor.processJob(job.id, true);
  }

  // ---------------------------------------------------------------- transfer (§3, §9.3)

  readyItems(caller: AuthContext, targetId: string): SyncedItem[] {
    this.d.access.requireTarget(caller, targetId);
    this.refreshTargetIfStale(targetId);
    const ready = this.d.repo.itemsOfTarget(targetId, ['ReadyToTransfer', 'Transferring']);
    const jobs = new Map<string, JobRecord | undefined>();
    const jobOf = (id: string) => {
      if (!jobs.has(id)) jobs.set(id, this.d.repo.getJob(id));
      return jobs.get(id);
    };
    // One DTO batch per user: clients poll this, and a device may have hundreds of items waiting.
    const idsByUser = new Map<string, string[]>();
    for (const ji of ready) {
      const job = jobOf(ji.jobId);
      if (job) idsByUser.set(job.userId, [...(idsByUser.get(job.userId) ?? []), ji.itemId]);
    }
    const dtos = new Map<string, Map<string, BaseItemDto>>();
    for (const [userId, ids] of idsByUser) dtos.set(userId, this.d.itemDtos(userId, ids));
    const out: SyncedItem[] = [];
    for (const ji of ready) {
      const job = jobOf(ji.jobId);
      const dto = job && dtos.get(job.userId)?.get(ji.itemId);
      if (!job || !dto?.Path) continue;
      out.push(toSyncedItem(this.d.serverId, job, ji, dto, dto.Path));
    }
    return out;
  }

  /** Where the bytes of a job item's file are, and the item itself; 400/404 per API.md §3 "File". */
  fileFor(
    caller: AuthContext,
    id: string,
    additionalName?: string,
  ): { item: JobItemRecord; job: JobRecord; filePath: string; cacheDir?: string } {
    const { item, job } = this.d.access.transferItem(caller, normalizeId(id));
    if (!['ReadyToTransfer', 'Transferring', 'Synced'].includes(item.status)) {
      throw badRequest(`The item is ${item.status}, not ready to transfer`);
    }
    let filePath: string | undefined;
    if (additionalName !== undefined) {
      // Matched against the item's own list only: a name from input never becomes a path.
      const file = item.additionalFiles.find((f) => f.Name.toLowerCase() === additionalName.toLowerCase());
      if (!file || !item.outputKey) throw notFound('No such additional file');
      filePath = this.d.conversion?.outputFilePath(item.outputKey, file.Name);
    } else if (item.outputKey && this.d.conversion?.getOutput(item.outputKey)?.fileName) {
      filePath = this.d.conversion.outputFilePath(item.outputKey);
    } else {
      filePath = this.d.lib.getItem(job.userId, item.itemId)?.path ?? undefined;
    }
    const cacheDir = additionalName === undefined && item.outputKey ? this.d.conversion?.outputDir(item.outputKey) : undefined;
    return { item, job, filePath: filePath ?? '', cacheDir };
  }

  /** The output vanished: the item goes back to Queued and is converted again. */
  requeueMissing(item: JobItemRecord, job: JobRecord): void {
    tx(this.d.db, () => {
      this.d.processor.setItem(item, job, { status: 'Queued', progress: 0, outputKey: null, mediaSource: null, outputFileName: null });
      if (item.outputKey) this.d.conversion?.release(item.outputKey);
    });
    this.d.processor.processJob(job.id, true);
  }

  /** Items whose finished output is no longer on disk go back to Queued (the output is converted again). */
  requeueVanishedOutputs(isPresent: (key: string) => boolean): number {
    let count = 0;
    for (const status of ['ReadyToTransfer', 'Transferring', 'Synced'] as const) {
      for (const ji of this.d.repo.queryItems({ statuses: [status] }).items) {
        if (!ji.outputKey || isPresent(ji.outputKey)) continue;
        // A Synced item keeps its copy on the device; only what still has to be downloaded is redone.
        if (status === 'Synced') continue;
        const job = this.d.repo.getJob(ji.jobId);
        if (job) {
          this.requeueMissing(ji, job);
          count++;
        }
      }
    }
    return count;
  }

  /** After a restart: downloads that were running broke off, conversions start again from Queued. */
  recoverAfterRestart(): void {
    tx(this.d.db, () => {
      for (const ji of this.d.repo.queryItems({ statuses: ['Converting', 'Transferring'] }).items) {
        const job = this.d.repo.getJob(ji.jobId);
        if (!job) continue;
        if (ji.status === 'Converting') this.d.processor.setItem(ji, job, { status: 'Queued', progress: 0 });
        else this.d.processor.setItem(ji, job, { status: 'ReadyToTransfer', progress: 50 });
      }
    });
  }

  transferStarted(item: JobItemRecord, job: JobRecord): void {
    const fresh = this.d.repo.getItem(item.id);
    if (fresh?.status === 'ReadyToTransfer') tx(this.d.db, () => this.d.processor.setItem(fresh, job, { status: 'Transferring' }));
  }

  transferProgress(itemId: string, progress: number): void {
    const fresh = this.d.repo.getItem(itemId);
    const job = fresh && this.d.repo.getJob(fresh.jobId);
    if (fresh?.status === 'Transferring' && job && Math.abs(fresh.progress - progress) >= 1) {
      tx(this.d.db, () => this.d.processor.setItem(fresh, job, { progress }));
    }
  }

  /** A download broke off: back to ReadyToTransfer unless another download of it still runs. */
  transferAborted(itemId: string): void {
    const fresh = this.d.repo.getItem(itemId);
    const job = fresh && this.d.repo.getJob(fresh.jobId);
    if (fresh?.status === 'Transferring' && job)
      tx(this.d.db, () => this.d.processor.setItem(fresh, job, { status: 'ReadyToTransfer', progress: 50 }));
  }

  transferred(caller: AuthContext, id: string): void {
    const normalized = normalizeId(id);
    const item = normalized ? this.d.repo.getItem(normalized) : undefined;
    // Unknown ids and other states are ignored (API.md §3 Fix): the call is idempotent.
    if (!item) return;
    const { job } = this.d.access.transferItem(caller, item.id);
    if (item.status !== 'ReadyToTransfer' && item.status !== 'Transferring') return;
    tx(this.d.db, () => this.d.processor.setItem(item, job, { status: 'Synced', progress: 100 }));
  }
}
