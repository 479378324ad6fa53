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
import { DexieStorage } from './dexieStorage';
import { realClock, type ItemProgress, type Notifier, type RunSummary, type SyncSettings } from './ports';
import { ServerApi } from './serverApi';
import { SyncLoop } from './syncLoop';
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

export function registerSyncHandlers(self: ServiceWorkerGlobalScope): { runUploads: () => Promise<unknown> } {
  const db = openDb();
  const storage = new DexieStorage(db);
  const channel = new BroadcastChannel(SYNC_CHANNEL);
  const paused = new Set<string>();
  let pausedAll = false;

  const notifier = broadcastNotifier(channel, (summary) => void afterRun(summary));
  // Camera uploads ride on every run (after the downloads), and run on their own when files are queued.
  const runUploads = createUploadRunner(self);
  const uploadsAfterRun = (signal: AbortSignal) => runUploads(signal).catch((err: unknown) => console.warn('camera upload run failed', err));
  const loop = new SyncLoop({
    storage,
    clock: realClock,
    notifier,
    apiFor: (session) => new ServerApi(session),
    isPaused: (id) => pausedAll || paused.has(id),
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

  self.addEventListener('message', (event) => {
    const msg = event.data as SyncMessage | null;
    if (!msg || typeof msg !== 'object') return;
    switch (msg.type) {
      case 'sync':
        event.waitUntil(requestRun(msg.reason ?? 'page', msg.reason === 'user'));
        break;
      case 'pause':
        paused.add(msg.id);
        event.waitUntil(setBlocked(msg.id, 'user'));
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
