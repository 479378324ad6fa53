/**
 * Step 4, second half: the work list through its remaining steps with bounded concurrency — media (by the
 * loop in chunks, or handed to the browser) → posters and subtitles → Transferred. A failing item is
 * recorded on its record and the others carry on; a full disk stops them all; no answer ends the run.
 */
import type { LocalItem } from '../../db';
import { downloadMediaWithRetries, PausedError } from '../downloadManager';
import { isNetworkFailure, isQuotaError, progressOf, type ApiPort } from '../ports';
import { errorText, QUOTA_MESSAGE, report, type RunContext } from '../runContext';
import { acknowledge } from './acknowledge';
import { handToBrowser } from './browserHandOver';
import { storeExtras } from './extras';

export class ItemDownloads {
  /** Downloads in flight, by item: a pause or removal aborts the request in hand. */
  private readonly inFlight = new Map<string, AbortController>();

  /**
   * Stops an item's download at once (the person paused or removed it): the chunk in flight is dropped,
   * what is stored stays, and a resume asks again from the last whole chunk. No id: every download.
   */
  stop(id?: string): void {
    for (const [itemId, controller] of this.inFlight) if (id === undefined || itemId === id) controller.abort(new PausedError());
  }

  /** `apiOf`: the server as the user the item's calls go out as. */
  async downloadAll(ctx: RunContext, apiOf: (item: LocalItem) => ApiPort, work: LocalItem[]): Promise<void> {
    const { storage } = ctx.deps;
    const quota = new AbortController();
    const signal = ctx.options.signal ? anySignal([ctx.options.signal, quota.signal]) : quota.signal;
    let next = 0;
    let unreachable: unknown;
    const worker = async () => {
      while (next < work.length && !signal.aborted && !unreachable) {
        const queued = work[next++]!;
        const item = (await storage.getItem(queued.Id)) ?? queued;
        if (!this.wanted(ctx, item)) continue;
        try {
          await this.complete(ctx, apiOf(item), item, signal);
        } catch (err) {
          if (err instanceof PausedError) {
            await this.reportPaused(ctx, item);
            continue;
          }
          const latest = (await storage.getItem(item.Id)) ?? item;
          if (signal.aborted && !isQuotaError(err)) return; // paused or out of time: resumes from the stored chunks
          if (isQuotaError(err)) {
            ctx.summary.quotaExceeded = true;
            quota.abort(err);
          }
          if (isNetworkFailure(err)) unreachable = err;
          await recordFailure(ctx, latest, item.Item.Name, err);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, ctx.settings.concurrency) }, worker));
    if (ctx.summary.quotaExceeded) ctx.summary.errors.push(QUOTA_MESSAGE);
    if (unreachable) throw unreachable;
  }

  /** Done, paused by the person, or stopped on a full disk (retried only by an explicit run). */
  private wanted(ctx: RunContext, item: LocalItem): boolean {
    if (item.step === 'synced' || item.blocked === 'user') return false;
    if (item.blocked === 'quota' && !ctx.options.retryQuota) return false;
    return !ctx.deps.isPaused?.(item.Id);
  }

  /** Pages last heard bytes arriving: tell them what is stored, and that it is paused. */
  private async reportPaused(ctx: RunContext, item: LocalItem): Promise<void> {
    const stored = await ctx.deps.storage.getItem(item.Id);
    // The pause message may not be stored yet: say paused whatever order the two arrive in.
    if (stored) report(ctx, { ...stored, blocked: ctx.deps.isPaused?.(item.Id) ? 'user' : stored.blocked });
  }

  /** One item through its remaining steps: media → extras → transfer → synced. */
  private async complete(ctx: RunContext, api: ApiPort, start: LocalItem, signal: AbortSignal): Promise<void> {
    const { storage, clock } = ctx.deps;
    let item: LocalItem = { ...start, blocked: undefined, error: undefined };
    if (item.step === 'media') {
      const browser = await handToBrowser(ctx, api, item);
      if (browser.handed) return;
      item = browser.item;
    }
    if (item.step === 'media') item = await this.downloadMedia(ctx, api, item, signal);
    if (item.step === 'extras') {
      item = await storeExtras(storage, api, item);
      item = { ...item, step: 'transfer', updatedAt: clock.now() };
      await storage.putItem(item);
    }
    if (item.step === 'transfer') await acknowledge(ctx, api, item);
  }

  private async downloadMedia(ctx: RunContext, api: ApiPort, start: LocalItem, signal: AbortSignal): Promise<LocalItem> {
    const { storage, clock, notifier } = ctx.deps;
    report(ctx, start);
    const started = clock.now();
    const isPaused = ctx.deps.isPaused ? () => ctx.deps.isPaused!(start.Id) : undefined;
    // Its own abort, so a pause or removal stops this download now, not after its chunk (stop()).
    const own = new AbortController();
    this.inFlight.set(start.Id, own);
    let item: LocalItem;
    try {
      item = await downloadMediaWithRetries(
        {
          api,
          storage,
          clock,
          settings: ctx.settings,
          signal: anySignal([signal, own.signal]),
          isPaused,
          watched: ctx.deps.watched,
          // Bytes as they arrive (the notifier throttles): the stored count alone moves once per chunk.
          onBytes: (i, received) => {
            if (!isPaused?.()) notifier.progress({ ...progressOf(i), bytes: received });
          },
        },
        start,
      );
    } finally {
      this.inFlight.delete(start.Id);
    }
    countMedia(ctx, started, item.bytes - start.bytes);
    return item;
  }
}

/** The item stays where it stopped, marked with why; the next run tries it again. */
async function recordFailure(ctx: RunContext, latest: LocalItem, name: string, err: unknown): Promise<void> {
  const blocked = isQuotaError(err) ? 'quota' : 'error';
  await ctx.deps.storage.putItem({
    ...latest,
    blocked,
    error: errorText(err),
    attempts: latest.attempts + 1,
    updatedAt: ctx.deps.clock.now(),
  });
  report(ctx, { ...latest, blocked, error: errorText(err) });
  if (!isQuotaError(err) && !isNetworkFailure(err)) ctx.summary.errors.push(`${name}: ${errorText(err)}`);
}

/** Media bytes and the time from the first media request to the last chunk (items overlap inside it). */
function countMedia(ctx: RunContext, started: number, bytes: number): void {
  const now = ctx.deps.clock.now();
  ctx.mediaWindow = { from: Math.min(ctx.mediaWindow?.from ?? started, started), to: now };
  ctx.summary.mediaBytes += Math.max(0, bytes);
  ctx.summary.mediaMs = ctx.mediaWindow.to - ctx.mediaWindow.from;
}

/** AbortSignal.any is recent (Chromium 116, Safari 17.4); this covers the rest. */
function anySignal(signals: AbortSignal[]): AbortSignal {
  const controller = new AbortController();
  for (const s of signals) {
    if (s.aborted) {
      controller.abort(s.reason);
      break;
    }
    s.addEventListener('abort', () => controller.abort(s.reason), {
      once: true,
    });
  }
  return controller.signal;
}
