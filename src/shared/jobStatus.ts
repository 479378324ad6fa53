/** A job's status and progress derived from its items, and the item progress scale (API.md §5.9). */
import type { SyncJobItemStatus, SyncJobStatus } from './api/sync.js';

export interface ItemStatusLike {
  Status: SyncJobItemStatus;
  Progress?: number;
  /**
   * Waits (Cancelled on the wire) because another job syncs the same item to the same device: for the job
   * it is as good as synced, so a job of only such items is Completed, never Cancelled (issue 15 §4).
   */
  ThroughOtherJob?: boolean;
}

/** Items that are finished as far as the job's progress goes, whatever their outcome. */
const COUNTS_AS_DONE: ReadonlySet<SyncJobItemStatus> = new Set(['Failed', 'Synced', 'RemovedFromDevice', 'Cancelled']);

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

function finite(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

/**
 * An item's progress (0–100) on the one scale shared by conversion and download:
 * Queued 0, Converting 0–50, ReadyToTransfer 50, Transferring 50–100, Synced 100.
 * Failed, Cancelled and RemovedFromDevice keep whatever they had (Enable resets to 0 explicitly).
 */
export function itemProgress(status: SyncJobItemStatus, progress?: number): number {
  switch (status) {
    case 'Queued':
      return 0;
    case 'Converting':
      return clamp(finite(progress, 0), 0, 50);
    case 'ReadyToTransfer':
      return 50;
    case 'Transferring':
      return clamp(finite(progress, 50), 50, 100);
    case 'Synced':
      return 100;
    default:
      return clamp(finite(progress, 0), 0, 100);
  }
}

/** Converting progress from the encoder's fraction done (0–1): the conversion is the first half. */
export function conversionProgress(encoderFraction: number): number {
  return clamp(finite(encoderFraction, 0), 0, 1) * 50;
}

/** Transferring progress from bytes served: the download is the second half. */
export function transferProgress(bytesServed: number, totalBytes: number): number {
  if (!(totalBytes > 0)) return 50;
  return 50 + clamp(bytesServed / totalBytes, 0, 1) * 50;
}

export interface JobStatusResult {
  Status: SyncJobStatus;
  /** Mean item progress; omitted when the job has no items. */
  Progress?: number;
}

/** §5.9: the first matching rule wins; a job with no items is Completed (the original said Failed). */
export function deriveJobStatus(items: readonly ItemStatusLike[]): JobStatusResult {
  if (items.length === 0) return { Status: 'Completed' };

  const progress =
    items.reduce((sum, i) => sum + (COUNTS_AS_DONE.has(i.Status) ? 100 : itemProgress(i.Status, i.Progress)), 0) / items.length;

  const statusOf = (i: ItemStatusLike): SyncJobItemStatus => (i.ThroughOtherJob && i.Status === 'Cancelled' ? 'Synced' : i.Status);
  const any = (s: SyncJobItemStatus) => items.some((i) => statusOf(i) === s);
  const all = (s: SyncJobItemStatus) => items.every((i) => statusOf(i) === s);

  let status: SyncJobStatus;
  if (any('Transferring')) status = 'Transferring';
  else if (any('Converting')) status = 'Converting';
  else if (all('Failed')) status = 'Failed';
  else if (all('Cancelled')) status = 'Cancelled';
  else if (all('ReadyToTransfer')) status = 'ReadyToTransfer';
  else if (items.every((i) => COUNTS_AS_DONE.has(statusOf(i)))) status = any('Failed') ? 'CompletedWithError' : 'Completed';
  else status = 'Queued';

  return { Status: status, Progress: progress };
}
