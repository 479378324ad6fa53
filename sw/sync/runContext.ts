/**
 * What every step of a sync run shares: the loop's ports, the run's options and settings, and the summary
 * the steps add to. Also how a failure reads in that summary.
 */
import type { LocalItem, ServerRow } from '../db';
import {
  ApiFailure,
  isQuotaError,
  progressOf,
  type ApiPort,
  type BackgroundFetchPort,
  type Clock,
  type Notifier,
  type RunSummary,
  type StoragePort,
  type SyncSettings,
} from './ports';

export interface SyncLoopDeps {
  storage: StoragePort;
  apiFor(session: ServerRow): ApiPort;
  clock: Clock;
  notifier: Notifier;
  /** The person paused this item (or everything) while it downloads. */
  isPaused?: (localId: string) => boolean;
  /** Where the browser has Background Fetch: large media goes through it (see backgroundFetch.ts). */
  backgroundFetch?: BackgroundFetchPort;
  /** A page shows progress now: bytes are then counted as they arrive (see DownloadContext.watched). */
  watched?: () => Promise<boolean>;
}

export interface RunOptions {
  reason: string;
  /** Aborted when the event's time is up or the person pauses everything. */
  signal?: AbortSignal;
  /** Explicit runs ("Sync now", resume) retry downloads that stopped on a full disk. */
  retryQuota?: boolean;
  /** False while the person has paused all downloads: the rest of the loop still runs. */
  downloads?: boolean;
}

export interface RunContext {
  readonly deps: SyncLoopDeps;
  readonly options: RunOptions;
  readonly settings: SyncSettings;
  readonly summary: RunSummary;
  /** First media request → last media chunk of this run; concurrent items overlap inside it. */
  mediaWindow?: { from: number; to: number };
}

export const QUOTA_MESSAGE =
  'Storage is full: downloads are paused. Everything already downloaded is kept. Free some space (remove items on this device) and press "Sync now".';

export function errorText(err: unknown): string {
  if (isQuotaError(err)) return QUOTA_MESSAGE;
  if (err instanceof ApiFailure) return err.status ? `HTTP ${err.status}: ${err.message}` : err.message;
  return (err as Error)?.message ?? String(err);
}

export function emptySummary(reason: string, startedAt: number): RunSummary {
  return {
    reason,
    startedAt,
    finishedAt: 0,
    servers: 0,
    downloaded: 0,
    removed: 0,
    actionsSent: 0,
    quotaExceeded: false,
    errors: [],
    offline: false,
    mediaBytes: 0,
    mediaMs: 0,
  };
}

/** Tells the pages where an item is. */
export function report(ctx: RunContext, item: LocalItem): void {
  ctx.deps.notifier.progress(progressOf(item));
}
