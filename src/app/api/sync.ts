/**
 * The /Sync routes the web app drives (API.md §3). Thin typed wrappers: all decisions about which options
 * to show live in src/shared/syncOptions.ts and src/app/sync/syncDialogModel.ts.
 */
import type { QueryResult } from '../../shared/api/items';
import type {
  SyncCategory,
  SyncDialogOptions,
  SyncJob,
  SyncJobCreationResult,
  SyncJobItem,
  SyncJobItemStatus,
  SyncJobRequest,
  SyncJobStatus,
  SyncOptions,
  SyncTarget,
} from '../../shared/api/sync';
import type { ApiClient } from './client';

export function getSyncTargets(api: ApiClient, userId: string): Promise<SyncTarget[]> {
  return api.get('/Sync/Targets', { UserId: userId });
}

export interface SyncOptionsQuery {
  userId: string;
  itemIds?: readonly string[];
  parentId?: string;
  targetId?: string;
  category?: SyncCategory;
  /** Ours: re-estimate sizes for the current form values (API.md §6). */
  unwatchedOnly?: boolean;
  itemLimit?: number;
  bitrate?: number;
}

export function getSyncOptions(api: ApiClient, q: SyncOptionsQuery, signal?: AbortSignal): Promise<SyncDialogOptions> {
  return api.get(
    '/Sync/Options',
    {
      UserId: q.userId,
      ItemIds: q.itemIds,
      ParentId: q.parentId,
      TargetId: q.targetId,
      Category: q.category,
      UnwatchedOnly: q.unwatchedOnly || undefined,
      ItemLimit: q.itemLimit,
      Bitrate: q.bitrate,
    },
    signal,
  );
}

export function createSyncJob(api: ApiClient, request: SyncJobRequest): Promise<SyncJobCreationResult> {
  return api.post('/Sync/Jobs', request);
}

export interface JobsQuery {
  /** Omit (as an administrator) for everyone's jobs. */
  userId?: string;
  targetId?: string;
  statuses?: readonly SyncJobStatus[];
  itemId?: string;
}

export function getSyncJobs(api: ApiClient, q: JobsQuery, signal?: AbortSignal): Promise<QueryResult<SyncJob>> {
  return api.get('/Sync/Jobs', { UserId: q.userId, TargetId: q.targetId, Statuses: q.statuses, ItemId: q.itemId }, signal);
}

export function getSyncJob(api: ApiClient, jobId: string): Promise<SyncJob> {
  return api.get(`/Sync/Jobs/${jobId}`);
}

/** The server copies only Name, Quality, Bitrate, Profile, UnwatchedOnly, SyncNewContent, ItemLimit. */
export function updateSyncJob(api: ApiClient, job: SyncJob): Promise<void> {
  return api.post(`/Sync/Jobs/${job.Id}`, job);
}

/** Deletes the job and its converted files; the device drops its copies at its next Sync/Data. */
export function cancelSyncJob(api: ApiClient, jobId: string): Promise<void> {
  return api.request('DELETE', `/Sync/Jobs/${jobId}`);
}

export function getSyncJobItems(
  api: ApiClient,
  q: { jobId?: string; targetId?: string; statuses?: readonly SyncJobItemStatus[] },
): Promise<QueryResult<SyncJobItem>> {
  return api.get('/Sync/JobItems', { JobId: q.jobId, TargetId: q.targetId, Statuses: q.statuses, AddMetadata: true });
}

export function cancelSyncJobItem(api: ApiClient, jobItemId: string): Promise<void> {
  return api.request('DELETE', `/Sync/JobItems/${jobItemId}`);
}

/** Failed or Cancelled → Queued again. */
export function retrySyncJobItem(api: ApiClient, jobItemId: string): Promise<void> {
  return api.post(`/Sync/JobItems/${jobItemId}/Enable`);
}

/** A Synced item marked for removal stays on the device after all. */
export function keepSyncJobItem(api: ApiClient, jobItemId: string): Promise<void> {
  return api.post(`/Sync/JobItems/${jobItemId}/UnmarkForRemoval`);
}

export function getSyncSettings(api: ApiClient): Promise<SyncOptions> {
  return api.get('/System/Configuration/sync');
}

export function saveSyncSettings(api: ApiClient, options: SyncOptions): Promise<void> {
  return api.post('/System/Configuration/sync', options);
}

/** Ours (admin): disk used by converted files. */
export interface OutputStoreUsage {
  Bytes: number;
  Files: number;
  Outputs: number;
  Path: string;
}

export function getOutputStoreUsage(api: ApiClient): Promise<OutputStoreUsage> {
  return api.get('/Sync/OutputStore');
}

/** EventSource cannot send headers, so the token rides as api_key (API.md §9.7 allows it). */
export function syncEventsUrl(api: ApiClient, q: { userId?: string; targetId?: string; jobId?: string }): string {
  return api.url('/Sync/Events', { UserId: q.userId, TargetId: q.targetId, JobId: q.jobId, api_key: api.accessToken });
}
