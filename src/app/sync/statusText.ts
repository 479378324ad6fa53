/** Job and item statuses in words a person reads, and the tone a badge takes for each. */
import type { SyncJobItemStatus, SyncJobStatus } from '../../shared/api/sync';
import { formatBitrate } from '../format';

const JOB: Record<SyncJobStatus, string> = {
  Queued: 'Queued',
  Converting: 'Converting',
  ReadyToTransfer: 'Ready to download',
  Transferring: 'Downloading',
  Completed: 'Completed',
  CompletedWithError: 'Completed with errors',
  Failed: 'Failed',
  Cancelled: 'Cancelled',
};

const ITEM: Record<SyncJobItemStatus, string> = {
  Queued: 'Queued',
  Converting: 'Converting',
  ReadyToTransfer: 'Ready to download',
  Transferring: 'Downloading',
  Synced: 'On device',
  RemovedFromDevice: 'Removed from device',
  Failed: 'Failed',
  Cancelled: 'Cancelled',
};

export type Tone = 'neutral' | 'active' | 'ready' | 'done' | 'bad';

export function jobStatusText(status: SyncJobStatus): string {
  return JOB[status] ?? status;
}

export function itemStatusText(status: SyncJobItemStatus): string {
  return ITEM[status] ?? status;
}

export function statusTone(status: SyncJobStatus | SyncJobItemStatus): Tone {
  switch (status) {
    case 'Converting':
    case 'Transferring':
      return 'active';
    case 'ReadyToTransfer':
      return 'ready';
    case 'Completed':
    case 'Synced':
      return 'done';
    case 'Failed':
    case 'CompletedWithError':
      return 'bad';
    default:
      return 'neutral';
  }
}

/** Quality ids in words; a job's Bitrate wins because it is what the conversion really used. */
export function qualityText(quality: string | undefined, bitrate?: number): string {
  if (bitrate && quality !== 'original') return formatBitrate(bitrate)!;
  if (!quality) return 'Default';
  return quality.charAt(0).toUpperCase() + quality.slice(1);
}
