import type { SyncJob, SyncJobItem, SyncedItem } from '../../shared/api/sync.js';
import type { BaseItemDto } from '../../shared/api/items.js';
import type { JobItemRecord, JobRecord } from './syncRepo.js';
import type { JobSyncSummary } from '../../shared/syncProgress.js';
import type { ThroughJob } from './otherJobCopies.js';

export interface JobDecorations {
  targetName?: string;
  parentName?: string;
  primaryImageItemId?: string;
  primaryImageTag?: string;
  estimatedSize?: number;
  syncSummary?: JobSyncSummary;
}

export function toSyncJob(j: JobRecord, d: JobDecorations = {}): SyncJob {
  return {
    Id: j.id,
    TargetId: j.targetId,
    TargetName: d.targetName,
    Quality: j.quality,
    Bitrate: j.bitrate ?? undefined,
    Profile: j.profile || undefined,
    Category: j.category ?? undefined,
    ParentId: j.parentId ?? undefined,
    Progress: j.progress ?? undefined,
    Name: j.name,
    Status: j.status,
    UserId: j.userId,
    UnwatchedOnly: j.unwatchedOnly,
    SyncNewContent: j.syncNewContent,
    ItemLimit: j.itemLimit ?? undefined,
    RequestedItemIds: j.requestedItemIds,
    DateCreated: j.dateCreated,
    DateLastModified: j.dateLastModified,
    ItemCount: j.itemCount,
    ParentName: d.parentName,
    PrimaryImageItemId: d.primaryImageItemId,
    PrimaryImageTag: d.primaryImageTag,
    EstimatedSize: d.estimatedSize,
    SyncSummary: d.syncSummary,
  };
}

export function toSyncJobItem(i: JobItemRecord, image?: { itemId: string; tag: string }, through?: ThroughJob): SyncJobItem {
  return {
    Id: i.id,
    JobId: i.jobId,
    ItemId: i.itemId,
    ItemName: i.itemName,
    MediaSourceId: i.mediaSource?.Id,
    MediaSource: i.mediaSource ?? undefined,
    TargetId: i.targetId,
    OutputPath: i.outputFileName ?? undefined,
    Status: i.status,
    Progress: i.progress,
    DateCreated: i.dateCreated,
    PrimaryImageItemId: image?.itemId,
    PrimaryImageTag: image?.tag,
    AdditionalFiles: i.additionalFiles,
    IsMarkedForRemoval: i.isMarkedForRemoval,
    JobItemIndex: i.jobItemIndex,
    ItemDateModifiedTicks: i.itemDateModifiedTicks ?? undefined,
    EstimatedSize: i.estimatedSize ?? undefined,
    Size: i.size ?? undefined,
    Sha256: i.sha256 ?? undefined,
    ErrorMessage: i.errorMessage ?? undefined,
    ...through,
  };
}

/** Source name with the output's extension (API.md §4 SyncedItem.OriginalFileName). */
export function originalFileName(sourceName: string, outputName: string | null): string {
  if (!outputName) return sourceName;
  const ext = /\.[^.]+$/.exec(outputName)?.[0] ?? '';
  return sourceName.replace(/\.[^.]+$/, '') + ext;
}

export function toSyncedItem(serverId: string, job: JobRecord, i: JobItemRecord, item: BaseItemDto, sourceFileName: string): SyncedItem {
  const {
    MediaStreams: _streams,
    Path: _path,
    SupportsSync: _s,
    HasSyncJob: _h,
    IsSynced: _i,
    SyncStatus: _st,
    SyncPercent: _p,
    ...rest
  } = item;
  return {
    ServerId: serverId,
    SyncJobId: job.id,
    SyncJobName: job.name,
    SyncJobDateCreated: job.dateCreated,
    SyncJobItemId: i.id,
    OriginalFileName: originalFileName(sourceFileName, i.outputFileName),
    Item: { ...rest, MediaSources: i.mediaSource ? [i.mediaSource] : [] },
    UserId: job.userId,
    AdditionalFiles: i.additionalFiles.map(({ Path: _p2, ...f }) => f),
    Size: i.size ?? undefined,
    Sha256: i.sha256 ?? undefined,
  };
}
