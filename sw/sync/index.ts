/**
 * Wires the sync loop to the service worker's triggers (README "Offline sync in the browser"):
 *   - `sync` (tag SYNC_TAG): one-off Background Sync, fired by the browser when the network is back
 *   - `periodicsync` (tag PERIODIC_TAG): Periodic Background Sync of an installed PWA
 *   - page messages: `sync` (app open, foreground timer, a relayed SSE push, "Sync now"), pause/resume,
 *     remove, and the test-only `test-config`
 * One run at a time: a trigger during a run asks for one more run after it, so a push that arrives
 * mid-run is never lost and runs never overlap (two loops would download the same chunks).
 */
import { openDb, SYNC_CHANNEL, type LocalItem } from '../db';
import {
  BACKGROUND_FETCH_PREFIX,
  backgroundFetchManager,
  BrowserBackgroundFetch,
  ingestBackgroundFetch,
  type BgFetchEvent,
} from './backgroundFetch';
import { DexieStorage } from './dexieStorage';
import { progressOf, realClock, type ItemProgress, type Notifier, type RunSummary, type SyncSettings } from './ports';
import { ServerApi } from './serverApi';
import { QUOTA_MESSAGE, SyncLoop } from './syncLoop';
import { createUploadRunner } from '../upload';

export const SYNC_TAG = 'stowaway-sync';
export const PERIODIC_TAG = 'stowaway-periodic';

/** What pages send; every field but `type` is optional. */
export type SyncMessage =
  | { type: 'sync'; reason?: string }
  | { type: 'pause' | 'resume' | 'remove'; id: string }
  | { type: 'pause-all' | 'resume-all' }
  /** Files were queued for camera upload (or its settings changed): upload now. */
  | { type: 'upload' }
  | {
      type: 'test-config';
      settings?: Partial<SyncSettings>;
      quotaBytes?: number | null;
    };

interface SyncEventLike extends ExtendableEvent {
  tag: string;
}

/** Progress for every open page; per item at most every 250 ms, except when its step or state changes. */
function broadcastNotifier(channel: BroadcastChannel, onFinished: (s: RunSummary) => void): Notifier {
  const last = new Map<string, { at: number; key: string }>();
  return {
    progress(item: ItemProgress) {
      const key = `${item.step}|${item.blocked ?? ''}|${item.error ?? ''}`;
      const prev = last.get(item.id);
      const now = Date.now();
      if (prev && prev.key === key && now - prev.at < 250 && item.bytes !== item.size) return;
      last.set(item.id, { at: now, key });
      channel.postMessage({ type: 'progress', item });
    },
    runStarted(reason) {
      channel.postMessage({ type: 'run-started', reason });
    },
    runFinished(summary) {
      last.clear();
      channel.postMessage({ type: 'run-finished', summary });
      onFinished(summary);
    },
  };
}

/** After a failed Background Fetch, the loop downloads the item itself for this long. */
const BACKGROUND_FETCH_RETRY_MS = 10 * 60_000;

export function registerSyncHandlers(self: ServiceWorkerGlobalScope): { runUploads: () => Promise<unknown> } {
  const db = openDb();
  const storage = new DexieStorage(db);
  const channel = new BroadcastChannel(SYNC_CHANNEL);
  const paused = new Set<string>();
  let pausedAll = false;

  const notifier = broadcastNotifier(channel, (summary) => void afterRun(summary));
  // Camera uploads ride on every run (after the downloads), and run on their own when files are queued.
  const runUploads = createUploadRunner(self);
  const uploadsAfterRun = (signal: AbortSignal) =>
    runUploads(signal).catch((err: unknown) => console.warn('camera upload run failed', err));
  const bgManager = backgroundFetchManager(self.registration);
  const backgroundFetch = bgManager ? new BrowserBackgroundFetch(bgManager, self.clients) : undefined;
  const loop = new SyncLoop({
    storage,
    clock: realClock,
    notifier,
    apiFor: (session) => new ServerApi(session),
    isPaused: (id) => pausedAll || paused.has(id),
    backgroundFetch,
  });

  async function afterRun(summary: RunSummary): Promise<void> {
    await db.meta.put({ key: 'lastRun', value: summary });
    // No network at all: ask the browser to wake us when it returns. (A server that is down while the
    // network is up is left to the next timer or periodic run, or the browser would re-fire at once.)
    const reg = self.registration as ServiceWorkerRegistration & {
      sync?: { register(tag: string): Promise<void> };
    };
    if (summary.offline && !self.navigator.onLine) await reg.sync?.register(SYNC_TAG).catch(() => {});
    if (summary.downloaded > 0) {
      const count = (((await db.meta.get('badgeCount'))?.value as number | undefined) ?? 0) + summary.downloaded;
      await db.meta.put({ key: 'badgeCount', value: count });
      const nav = self.navigator as WorkerNavigator & {
        setAppBadge?: (n: number) => Promise<void>;
      };
      await nav.setAppBadge?.(count).catch(() => {});
    }
  }

  let running: Promise<RunSummary> | undefined;
  let again: { reason: string; retryQuota: boolean } | undefined;

  /** Starts a run, or books one more after the current one; resolves when the work asked for is done. */
  function requestRun(reason: string, retryQuota = false): Promise<RunSummary> {
    if (running) {
      // The current run loops once more before it resolves, so waiting for it covers this request.
      again = {
        reason,
        retryQuota: retryQuota || (again?.retryQuota ?? false),
      };
      return running;
    }
    const controller = new AbortController();
    const run = async (): Promise<RunSummary> => {
      pausedAll = ((await db.meta.get('pausedAll'))?.value as boolean | undefined) ?? false;
      let summary = await loop.run({
        reason,
        retryQuota,
        signal: controller.signal,
        downloads: !pausedAll,
      });
      await uploadsAfterRun(controller.signal);
      while (again && !controller.signal.aborted) {
        const next = again;
        again = undefined;
        summary = await loop.run({
          reason: next.reason,
          retryQuota: next.retryQuota,
          signal: controller.signal,
          downloads: !pausedAll,
        });
      }
      return summary;
    };
    running = run().finally(() => {
      running = undefined;
    });
    return running;
  }

  self.addEventListener('sync', (event) => {
    const e = event as SyncEventLike;
    if (e.tag === SYNC_TAG) e.waitUntil(requestRun('background-sync'));
  });

  self.addEventListener('periodicsync', (event) => {
    const e = event as SyncEventLike;
    if (e.tag === PERIODIC_TAG) e.waitUntil(requestRun('periodic-sync'));
  });

  // Background Fetch of large media (backgroundFetch.ts): the browser finished, failed, was stopped, or
  // its notification was clicked.
  self.addEventListener('backgroundfetchsuccess', (event) => {
    const e = event as BgFetchEvent;
    if (e.registration.id.startsWith(BACKGROUND_FETCH_PREFIX)) e.waitUntil(takeInBackgroundFetch(e));
  });
  for (const type of ['backgroundfetchfail', 'backgroundfetchabort'] as const) {
    self.addEventListener(type, (event) => {
      const e = event as BgFetchEvent;
      if (e.registration.id.startsWith(BACKGROUND_FETCH_PREFIX)) e.waitUntil(backgroundFetchEnded(e, type === 'backgroundfetchabort'));
    });
  }
  self.addEventListener('backgroundfetchclick', (event) => {
    const e = event as BgFetchEvent;
    if (e.registration.id.startsWith(BACKGROUND_FETCH_PREFIX)) e.waitUntil(self.clients.openWindow('/on-device'));
  });

  async function takeInBackgroundFetch(e: BgFetchEvent): Promise<void> {
    const id = e.registration.id.slice(BACKGROUND_FETCH_PREFIX.length);
    const item = await db.items.get(id);
    // Only a hand-over the item still waits for: a fetch the loop gave up waiting on (the page answered
    // late) or one from before a reset is not taken in.
    if (!item || item.step !== 'media' || item.backgroundFetch?.id !== e.registration.id || !backgroundFetch) return;
    const session = (await db.servers.where('serverId').equals(item.ServerId).toArray())[0];
    if (!session) return;
    backgroundFetch.ingesting.add(e.registration.id);
    try {
      const stored = await ingestBackgroundFetch(
        {
          api: new ServerApi(session),
          storage,
          clock: realClock,
          settings: await storage.settings(),
          onProgress: (i) => notifier.progress(progressOf(i)),
        },
        item,
        e.registration,
      );
      await storage.putItem({ ...stored, backgroundFetch: undefined, blocked: undefined, error: undefined });
      await e.updateUI?.({ title: `${item.Item.Name} is on this device` }).catch(() => {});
    } catch (err) {
      // What was stored stays; the loop downloads the rest the ordinary way (not the browser again for a
      // while: a body that cannot be used once will not be better the next time).
      await db.items.update(id, {
        backgroundFetch: undefined,
        backgroundFetchRetryAt: Date.now() + BACKGROUND_FETCH_RETRY_MS,
        error: `background download: ${(err as Error)?.message ?? err}`,
      });
    } finally {
      backgroundFetch.ingesting.delete(e.registration.id);
    }
    // Images, subtitles and Transferred follow in an ordinary run.
    await requestRun('background-fetch');
  }

  async function backgroundFetchEnded(e: BgFetchEvent, aborted: boolean): Promise<void> {
    const id = e.registration.id.slice(BACKGROUND_FETCH_PREFIX.length);
    const item = await db.items.get(id);
    if (!item || item.backgroundFetch?.id !== e.registration.id) return; // removed on purpose, or not waited for
    const quota = e.registration.failureReason === 'quota-exceeded';
    // Stopped from the browser's own download UI: the person paused it. A failure: the loop takes over.
    await db.items.update(id, {
      backgroundFetch: undefined,
      backgroundFetchRetryAt: aborted ? undefined : Date.now() + BACKGROUND_FETCH_RETRY_MS,
      blocked: aborted ? 'user' : quota ? 'quota' : item.blocked,
      error: aborted ? undefined : quota ? QUOTA_MESSAGE : `background download failed (${e.registration.failureReason || 'unknown'})`,
    });
    if (aborted) paused.add(id);
    notifier.progress(progressOf({ ...item, blocked: aborted ? 'user' : item.blocked }));
    if (!aborted && !quota) await requestRun('background-fetch-failed');
  }

  self.addEventListener('message', (event) => {
    const msg = event.data as SyncMessage | null;
    if (!msg || typeof msg !== 'object') return;
    switch (msg.type) {
      case 'sync':
        event.waitUntil(requestRun(msg.reason ?? 'page', msg.reason === 'user'));
        break;
      case 'pause':
        paused.add(msg.id);
        event.waitUntil(setBlocked(msg.id, 'user').then(() => stopBackgroundFetchOf(msg.id)));
        break;
      case 'resume':
        paused.delete(msg.id);
        event.waitUntil(setBlocked(msg.id, undefined).then(() => requestRun('resume', true)));
        break;
      case 'pause-all':
        pausedAll = true;
        event.waitUntil(db.meta.put({ key: 'pausedAll', value: true }));
        break;
      case 'resume-all':
        pausedAll = false;
        event.waitUntil(db.meta.put({ key: 'pausedAll', value: false }).then(() => requestRun('resume', true)));
        break;
      case 'remove':
        event.waitUntil(removeByPerson(msg.id));
        break;
      case 'test-config':
        event.waitUntil(applyTestConfig(msg));
        break;
      case 'upload':
        event.waitUntil(runUploads().catch(() => undefined));
        break;
    }
  });

  async function stopBackgroundFetchOf(id: string): Promise<void> {
    const bg = (await db.items.get(id))?.backgroundFetch;
    if (bg) await backgroundFetch?.abort(bg.id);
  }

  async function setBlocked(id: string, blocked: LocalItem['blocked']): Promise<void> {
    await db.items.update(id, { blocked, error: undefined });
    const item = await db.items.get(id);
    if (item)
      notifier.progress({
        id,
        name: item.Item.Name,
        step: item.step,
        bytes: item.bytes,
        size: item.size,
        blocked,
      });
  }

  /** "Remove from device": the server is told first (else the next Sync/Data would queue it again). */
  async function removeByPerson(id: string): Promise<void> {
    const item = await db.items.get(id);
    if (!item) return;
    paused.add(id); // stop a download in flight after its current chunk
    await stopBackgroundFetchOf(id);
    const session = (await db.servers.where('serverId').equals(item.ServerId).toArray())[0];
    if (session) await new ServerApi(session).markForRemoval(item.SyncJobItemId).catch(() => {});
    await storage.removeItem(id);
    paused.delete(id);
    channel.postMessage({ type: 'removed', id });
  }

  async function applyTestConfig(msg: Extract<SyncMessage, { type: 'test-config' }>): Promise<void> {
    if (msg.settings) {
      const before = ((await db.meta.get('syncSettings'))?.value as Partial<SyncSettings> | undefined) ?? {};
      await db.meta.put({
        key: 'syncSettings',
        value: { ...before, ...msg.settings },
      });
    }
    if (msg.quotaBytes !== undefined) await storage.setTestQuota(msg.quotaBytes);
  }

  return { runUploads };
}
