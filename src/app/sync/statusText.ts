/** Job statuses in words a person reads (filters), and the tone a progress phase's badge takes. */
import type { SyncJobStatus } from '../../shared/api/sync';
import type { SyncPhase } from '../../shared/syncProgress';
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

export type Tone = 'neutral' | 'active' | 'ready' | 'done' | 'bad';

export function jobStatusText(status: SyncJobStatus): string {
  return JOB[status] ?? status;
}

export function phaseTone(phase: SyncPhase): Tone {
  switch (phase) {
    case 'converting':
    case 'downloading':
    case 'finishing':
      return 'active';
    case 'ready':
      return 'ready';
    case 'done':
    case 'throughOtherJob':
      return 'done';
    case 'failed':
    case 'stopped':
      return 'bad';
    default:
      return 'neutral';
  }
}

/** Quality ids in words; a job's Bitrate wins because it is what the conversion really used. */
export function qualityText(quality: string | undefined, bitrate?: number): string {
  // "0.35 Mbps", not "0.4": the figure a person typed (format.ts).
  if (bitrate && quality !== 'original') return formatBitrate(bitrate)!;
  if (!quality) return 'Default';
  return quality.charAt(0).toUpperCase() + quality.slice(1);
}
