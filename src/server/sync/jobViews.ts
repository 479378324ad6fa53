/**
 * The read side of sync jobs (API.md §3 "List jobs", "Job items"): lists filtered by who asks, and the wire
 * DTOs decorated with what the records don't hold (target name, parent name, image, estimated size).
 */
import type { AuthContext } from '../auth/authService.js';
import { normalizeId } from '../ids.js';
import type { SyncJob, SyncJobCreationResult, SyncJobItem } from '../../shared/api/sync.js';
import { summarizeJobItems, type ServerItemState } from '../../shared/syncProgress.js';
import type { JobItemRepository, JobRepository, OtherJobCopiesView, TargetDevices } from './ports.js';
import type { JobItemRecord, JobRecord } from './records.js';
import type { SyncAccess } from './syncAccess.js';
import { toSyncJob, toSyncJobItem } from './syncDto.js';
import type { SyncLibrary } from './syncLibrary.js';

export interface JobListQuery {
  StartIndex?: number;
  Limit?: number;
  TargetId?: string;
  UserId?: string;
  ExcludeTargetIds?: string[];
  ItemId?: string;
  Statuses?: string[];
  SyncNewContent?: boolean;
}

export interface JobItemListQuery {
  StartIndex?: number;
  Limit?: number;
  JobId?: string;
  ItemId?: string;
  TargetId?: string;
  Statuses?: string[];
  AddMetadata?: boolean;
}

/** Items that no longer count towards a job's size on the device. */
const NOT_ON_DEVICE = ['Failed', 'Cancelled', 'RemovedFromDevice'];

export class JobViews {
  constructor(
    private readonly d: {
      store: JobRepository & JobItemRepository;
      lib: Pick<SyncLibrary, 'getItem'>;
      devices: Pick<TargetDevices, 'get'>;
      access: SyncAccess;
      copies: Pick<OtherJobCopiesView, 'throughJobOf'>;
    },
  ) {}

  jobDto(job: JobRecord): SyncJob {
    const items = this.d.store.itemsOfJob(job.id);
    const counted = items.filter((i) => !NOT_ON_DEVICE.includes(i.status));
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
      ...this.d.copies.throughJobOf(i),
    };
  }

  itemDto(i: JobItemRecord, job?: JobRecord, withImage = true): SyncJobItem {
    let image: { itemId: string; tag: string } | undefined;
    if (withImage) {
      const owner = job ?? this.d.store.getJob(i.jobId);
      const item = owner && this.d.lib.getItem(owner.userId, i.itemId);
      if (item?.imageTag) image = { itemId: item.id, tag: item.imageTag };
    }
    return toSyncJobItem(i, image, this.d.copies.throughJobOf(i));
  }

  creationResult(jobId: string): SyncJobCreationResult {
    const job = this.d.store.getJob(jobId)!;
    return { Job: this.jobDto(job), JobItems: this.d.store.itemsOfJob(job.id).map((i) => this.itemDto(i, job)) };
  }

  listJobs(caller: AuthContext, q: JobListQuery): { Items: SyncJob[]; TotalRecordCount: number } {
    // Everyone's jobs only for an administrator who asks for no particular user (API.md §2 Access).
    const userId = q.UserId ? this.d.access.actingUserId(caller, q.UserId) : this.d.access.isAdmin(caller) ? undefined : caller.user.id;
    const { items, total } = this.d.store.queryJobs({
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

  listJobItems(caller: AuthContext, q: JobItemListQuery): { Items: SyncJobItem[]; TotalRecordCount: number } {
    if (q.JobId) this.d.access.job(caller, normalizeId(q.JobId));
    const { items, total } = this.d.store.queryItems({
      jobId: q.JobId ? normalizeId(q.JobId) : undefined,
      itemId: q.ItemId ? (normalizeId(q.ItemId) ?? q.ItemId) : undefined,
      targetId: q.TargetId,
      statuses: q.Statuses,
      userId: this.d.access.isAdmin(caller) ? undefined : caller.user.id,
      startIndex: q.StartIndex,
      limit: q.Limit,
    });
    return { Items: items.map((i) => this.itemDto(i, undefined, !!q.AddMetadata)), TotalRecordCount: total };
  }
}
