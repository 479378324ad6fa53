import type { Logger } from 'pino';
import type { OutputStore } from '../convert/outputStore.js';
import type { Recovery } from './recovery.js';
import type { RefreshScheduler } from './refreshScheduler.js';

/** Emby's "Convert media" task (key SyncPrepare): a safety net behind the event-driven refresh. */
export const SYNC_PREPARE_INTERVAL_MS = 3 * 60 * 60 * 1000;

export interface SyncPrepareParts {
  refresh: Pick<RefreshScheduler, 'refresh'>;
  recovery: Pick<Recovery, 'requeueVanishedOutputs'>;
}

/**
 * Runs the task now and every three hours: re-expand SyncNewContent jobs, convert what waits, re-queue
 * items whose output vanished from disk, and clear orphaned files.
 */
export function runSyncPrepare(sync: SyncPrepareParts, outputs: OutputStore, log: Pick<Logger, 'info' | 'error'>): void {
  try {
    sync.refresh.refresh();
    const requeued = sync.recovery.requeueVanishedOutputs((key) => outputs.verifyPresent(key));
    void outputs.cleanupOrphans({ resetConverting: false }).catch((err: unknown) => log.error({ err }, 'output cleanup failed'));
    log.info({ requeued }, 'sync prepare task finished');
  } catch (err) {
    log.error({ err }, 'sync prepare task failed');
  }
}

export function startSyncPrepareTask(
  sync: SyncPrepareParts,
  outputs: OutputStore,
  log: Pick<Logger, 'info' | 'error'>,
  onClose: Array<() => void>,
): void {
  runSyncPrepare(sync, outputs, log);
  const timer = setInterval(() => runSyncPrepare(sync, outputs, log), SYNC_PREPARE_INTERVAL_MS);
  timer.unref();
  onClose.push(() => clearInterval(timer));
}
