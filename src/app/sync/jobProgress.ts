/**
 * A job's and a job item's progress as every screen shows it: the server's summary with this device's
 * downloads laid over it when the job targets this browser (src/shared/syncProgress.ts holds the rules).
 */
import type { SyncJob, SyncJobItem, SyncJobItemStatus, SyncJobStatus } from '../../shared/api/sync';
import {
  describeItemSync,
  describeJobSync,
  deviceJobDownloads,
  summarizeJobItems,
  type DeviceDownload,
  type JobProgress,
  type JobSyncSummary,
  type SyncProgress,
} from '../../shared/syncProgress';

/** A server without `SyncSummary` (older, or not ours): the job read as one item of its status. */
const AS_ITEM: Record<SyncJobStatus, SyncJobItemStatus> = {
  Queued: 'Queued',
  Converting: 'Converting',
  ReadyToTransfer: 'ReadyToTransfer',
  Transferring: 'Transferring',
  Completed: 'Synced',
  CompletedWithError: 'Failed',
  Failed: 'Failed',
  Cancelled: 'Cancelled',
};

export function jobSummary(job: SyncJob): JobSyncSummary {
  return job.SyncSummary ?? summarizeJobItems([{ Status: AS_ITEM[job.Status], Progress: job.Progress, Size: job.EstimatedSize }]);
}

export function jobProgress(job: SyncJob, downloads: readonly DeviceDownload[] | undefined): JobProgress {
  return describeJobSync(jobSummary(job), downloads ? deviceJobDownloads(downloads) : undefined);
}

export function jobItemProgress(item: SyncJobItem, download: DeviceDownload | undefined): SyncProgress {
  return describeItemSync(item, download);
}
