/**
 * Wires the sync loop to the service worker's triggers (README "Offline sync in the browser"):
 *   - `sync` (tag SYNC_TAG): one-off Background Sync, fired by the browser when the network is back
 *   - `periodicsync` (tag PERIODIC_TAG): Periodic Background Sync of an installed PWA
 *   - `backgroundfetch*`: the browser finished, failed or stopped a large download (backgroundFetchEvents.ts)
 *   - page messages: `sync` (app open, foreground timer, a relayed SSE push, "Sync now"), pause/resume,
 *     remove, upload — and, in test builds only, `test-config` (testHooks.ts)
 * Only wiring lives here: runs are scheduled by runScheduler.ts, the person's actions are itemControls.ts,
 * and everything reaches the device through the storage port (dexieStorage.ts).
 */
import { SYNC_CHANNEL } from '../db';
import { createUploadRunner } from '../upload';
import { afterRun, browserHooks, SYNC_TAG } from './afterRun';
import { backgroundFetchManager, BrowserBackgroundFetch, type BgFetchEvent } from './backgroundFetch';
import { BackgroundFetchEvents } from './backgroundFetchEvents';
import { broadcastNotifier } from './broadcastNotifier';
import { DexieStorage } from './dexieStorage';
import { ItemControls } from './itemControls';
import { realClock } from './ports';
import { PauseState, RunScheduler } from './runScheduler';
import { ServerApi } from './serverApi';
import { SyncLoop } from './syncLoop';
import { isTestConfig, TestHooks } from './testHooks';

export { SYNC_TAG };
export const PERIODIC_TAG = 'stowaway-periodic';

/** Replaced by esbuild (scripts/build.mjs): true only in builds made with `--test-hooks`. */
declare const __SW_TEST_HOOKS__: boolean;

/** What pages send; every field but `type` is optional. */
export type SyncMessage =
  | { type: 'sync'; reason?: string }
  | { type: 'pause' | 'resume' | 'remove'; id: string }
  | { type: 'pause-all' | 'resume-all' }
  /** Files were queued for camera upload (or its settings changed): upload now. */
  | { type: 'upload' };

interface SyncEventLike extends ExtendableEvent {
  tag: string;
}

/** Whether a page of the app is visible, asked at most once a second (it is asked per chunk request). */
function visiblePage(self: ServiceWorkerGlobalScope): () => Promise<boolean> {
  let last: { at: number; answer: Promise<boolean> } | undefined;
  return () => {
    if (!last || Date.now() - last.at > 1000) {
      const answer = self.clients
        .matchAll({ type: 'window' })
        .then((pages) => pages.some((p) => (p as WindowClient).visibilityState === 'visible'))
        .catch(() => true);
      last = { at: Date.now(), answer };
    }
    return last.answer;
  };
}

/** The sync machinery of one worker: the loop, its scheduler, and the handlers of the person's actions. */
interface SyncWorker {
  scheduler: RunScheduler;
  controls: ItemControls;
  fetches?: BackgroundFetchEvents;
  testHooks?: TestHooks;
  runUploads: (signal?: AbortSignal) => Promise<unknown>;
}

function createSyncWorker(self: ServiceWorkerGlobalScope): SyncWorker {
  const dexie = new DexieStorage();
  const testHooks = __SW_TEST_HOOKS__ ? new TestHooks(dexie) : undefined;
  const storage = testHooks ? testHooks.wrap(dexie) : dexie;
  const browser = browserHooks(self);
  const notifier = broadcastNotifier(new BroadcastChannel(SYNC_CHANNEL), (summary) => void afterRun(summary, storage, browser));
  const apiFor = (session: ConstructorParameters<typeof ServerApi>[0]) => new ServerApi(session);
  const bgManager = backgroundFetchManager(self.registration);
  const backgroundFetch = bgManager ? new BrowserBackgroundFetch(bgManager, self.clients) : undefined;
  const pause = new PauseState();
  const loop = new SyncLoop({
    storage,
    clock: realClock,
    notifier,
    apiFor,
    isPaused: (id) => pause.isPaused(id),
    backgroundFetch,
    watched: visiblePage(self),
  });
  // Camera uploads ride on every run (after the downloads), and run on their own when files are queued.
  const runUploads = createUploadRunner(self);
  const scheduler = new RunScheduler({
    run: (options) => loop.run(options),
    pausedAll: () => storage.pausedAll(),
    pause,
    afterFirstRun: (signal) => runUploads(signal),
  });
  const controls = new ItemControls({
    storage,
    notifier,
    pause,
    scheduler,
    apiFor,
    backgroundFetch,
    stopDownload: (id) => loop.stopDownload(id),
  });
  const fetches = backgroundFetch
    ? new BackgroundFetchEvents({ storage, notifier, clock: realClock, pause, scheduler, apiFor, backgroundFetch })
    : undefined;
  return { scheduler, controls, fetches, testHooks, runUploads };
}

function listenForSyncEvents(self: ServiceWorkerGlobalScope, scheduler: RunScheduler): void {
  self.addEventListener('sync', (event) => {
    const e = event as SyncEventLike;
    if (e.tag === SYNC_TAG) e.waitUntil(scheduler.request('background-sync'));
  });
  self.addEventListener('periodicsync', (event) => {
    const e = event as SyncEventLike;
    if (e.tag === PERIODIC_TAG) e.waitUntil(scheduler.request('periodic-sync'));
  });
}

function listenForBackgroundFetches(self: ServiceWorkerGlobalScope, fetches: BackgroundFetchEvents): void {
  const on = (type: string, handle: (e: BgFetchEvent) => Promise<unknown>) =>
    self.addEventListener(type, (event) => {
      const e = event as BgFetchEvent;
      if (BackgroundFetchEvents.itemIdOf(e) !== undefined) e.waitUntil(handle(e));
    });
  on('backgroundfetchsuccess', (e) => fetches.succeeded(e));
  on('backgroundfetchfail', (e) => fetches.ended(e, false));
  on('backgroundfetchabort', (e) => fetches.ended(e, true));
  on('backgroundfetchclick', () => self.clients.openWindow('/on-device'));
}

function listenForPageMessages(self: ServiceWorkerGlobalScope, { scheduler, controls, testHooks, runUploads }: SyncWorker): void {
  self.addEventListener('message', (event) => {
    const msg = event.data as SyncMessage | null;
    if (!msg || typeof msg !== 'object') return;
    if (__SW_TEST_HOOKS__ && testHooks && isTestConfig(msg)) return event.waitUntil(testHooks.apply(msg));
    switch (msg.type) {
      case 'sync':
        return event.waitUntil(scheduler.request(msg.reason ?? 'page', msg.reason === 'user'));
      case 'pause':
        return event.waitUntil(controls.pause(msg.id));
      case 'resume':
        return event.waitUntil(controls.resume(msg.id));
      case 'pause-all':
        return event.waitUntil(controls.pauseAll());
      case 'resume-all':
        return event.waitUntil(controls.resumeAll());
      case 'remove':
        return event.waitUntil(controls.remove(msg.id));
      case 'upload':
        return event.waitUntil(runUploads().catch(() => undefined));
    }
  });
}

export function registerSyncHandlers(self: ServiceWorkerGlobalScope): { runUploads: () => Promise<unknown> } {
  const worker = createSyncWorker(self);
  listenForSyncEvents(self, worker.scheduler);
  if (worker.fetches) listenForBackgroundFetches(self, worker.fetches);
  listenForPageMessages(self, worker);
  return { runUploads: worker.runUploads };
}
