/**
 * The page's half of offline sync. The service worker runs the loop (sw/sync/); the page
 *   - mirrors the signed-in sessions into Dexie (`servers`), because a service worker cannot read
 *     localStorage — called by the session store whenever its list changes;
 *   - triggers runs: app open, a foreground timer, the network coming back, "Sync now", and server pushes
 *     (SSE /Sync/Events with the device as TargetId: SyncJobCreated, SyncJobItemReady, cancellations);
 *   - registers Periodic Background Sync where the browser grants it, and a one-off Background Sync
 *     when offline work is queued, so the browser wakes the SW when the network returns;
 *   - asks for persistent storage once something is downloaded;
 *   - starts Background Fetches the SW asks for (only a page may, in Chromium).
 */
import { deviceName } from '../device/identity';
import { hostBackgroundFetches } from './backgroundFetchHost';
import { isOffline, whenOffline, whenOnline } from './network';

export const SYNC_TAG = 'stowaway-sync';
export const PERIODIC_TAG = 'stowaway-periodic';
const FOREGROUND_INTERVAL_MS = 5 * 60_000;
const PERIODIC_MIN_INTERVAL_MS = 12 * 60 * 60_000;
const PUSH_DEBOUNCE_MS = 1000;
const PUSH_EVENTS = ['SyncJobCreated', 'SyncJobItemReady', 'SyncJobCancelled', 'SyncJobItemCancelled'];

const loadDb = () => import('../../../sw/db');

export interface MirroredSession {
  serverUrl: string;
  serverId: string;
  userId: string;
  userName: string;
  token: string;
  deviceId: string;
}

/** Replaces the SW's view of who is signed in where (sign-out removes the row, so the SW stops too). */
export async function mirrorSessions(sessions: readonly MirroredSession[]): Promise<void> {
  try {
    const { openDb } = await loadDb();
    const db = openDb();
    await db.transaction('rw', db.servers, async () => {
      const keep = new Set<string>();
      for (const s of sessions) {
        const key = `${s.serverId}/${s.userId}`;
        keep.add(key);
        const before = await db.servers.get(key);
        await db.servers.put({
          key,
          serverUrl: s.serverUrl,
          serverId: s.serverId,
          userId: s.userId,
          userName: s.userName,
          token: s.token,
          deviceId: s.deviceId,
          deviceName: deviceName(s.deviceId),
          user: before?.user,
        });
      }
      for (const key of await db.servers.toCollection().primaryKeys()) if (!keep.has(key)) await db.servers.delete(key);
    });
  } catch (err) {
    console.warn('could not mirror sessions for offline sync', err);
  }
}

type SwMessage = Record<string, unknown> & { type: string };

/** Posts to the active service worker (not `controller`: the very first page load is not controlled yet). */
export async function messageServiceWorker(message: SwMessage): Promise<boolean> {
  if (!('serviceWorker' in navigator)) return false;
  const reg = await navigator.serviceWorker.getRegistration();
  const worker = reg?.active ?? (await navigator.serviceWorker.ready).active;
  if (!worker) return false;
  worker.postMessage(message);
  return true;
}

export function requestSync(reason: string): Promise<boolean> {
  return messageServiceWorker({ type: 'sync', reason });
}

/** Asks the browser to fire `sync` when the network is back (Chromium); elsewhere the next app open does. */
export async function registerOneOffSync(): Promise<void> {
  try {
    const reg = (await navigator.serviceWorker?.getRegistration()) as
      | (ServiceWorkerRegistration & {
          sync?: { register(tag: string): Promise<void> };
        })
      | undefined;
    await reg?.sync?.register(SYNC_TAG);
  } catch {
    // Not supported or not allowed: app open and the foreground timer still run the loop.
  }
}

async function registerPeriodicSync(): Promise<void> {
  try {
    const reg = (await navigator.serviceWorker?.getRegistration()) as
      | (ServiceWorkerRegistration & {
          periodicSync?: {
            register(tag: string, o: { minInterval: number }): Promise<void>;
          };
        })
      | undefined;
    if (!reg?.periodicSync) return;
    const status = await navigator.permissions.query({
      name: 'periodic-background-sync' as PermissionName,
    });
    if (status.state === 'granted')
      await reg.periodicSync.register(PERIODIC_TAG, {
        minInterval: PERIODIC_MIN_INTERVAL_MS,
      });
  } catch {
    // Only installed PWAs in Chromium get it; elsewhere this is expected to fail.
  }
}

let persistAsked = false;
/** Downloads should not be evicted under storage pressure; the browser may still say no. */
export async function requestPersistentStorage(): Promise<boolean> {
  if (!navigator.storage?.persist) return false;
  if (await navigator.storage.persisted()) return true;
  if (persistAsked) return false;
  persistAsked = true;
  return navigator.storage.persist().catch(() => false);
}

/** One SSE stream per signed-in server user; a relevant event asks the SW for a run (debounced). */
export class PushListener {
  private sources = new Map<string, EventSource>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  update(sessions: readonly MirroredSession[]): void {
    if (typeof EventSource === 'undefined') return;
    // No network: no stream (EventSource would retry every few seconds); `online` calls update again.
    const wanted = new Map(
      sessions.map((s) => [
        `${s.serverUrl}/Sync/Events?TargetId=${encodeURIComponent(s.deviceId)}&api_key=${encodeURIComponent(s.token)}`,
        s,
      ]),
    );
    if (isOffline()) wanted.clear();
    for (const [url, source] of this.sources) {
      if (!wanted.has(url)) {
        source.close();
        this.sources.delete(url);
      }
    }
    for (const url of wanted.keys()) {
      if (this.sources.has(url)) continue;
      const source = new EventSource(url);
      for (const type of PUSH_EVENTS) source.addEventListener(type, () => this.pushed());
      this.sources.set(url, source);
    }
  }

  private pushed(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void requestSync('push'), PUSH_DEBOUNCE_MS);
  }
}

let started = false;
const push = new PushListener();

/** Called once by App.vue; `sessions` is read again on every change the store announces. */
export function startOfflineBridge(getSessions: () => readonly MirroredSession[]): void {
  if (started || !('serviceWorker' in navigator)) return;
  started = true;
  hostBackgroundFetches();
  const sessions = getSessions();
  void mirrorSessions(sessions).then(() => requestSync('app-open'));
  push.update(sessions);
  void registerPeriodicSync();
  let lastRun = Date.now();
  const foreground = (reason: string) => {
    if (document.visibilityState !== 'visible') return;
    lastRun = Date.now();
    void requestSync(reason);
  };
  setInterval(() => foreground('foreground'), FOREGROUND_INTERVAL_MS);
  document.addEventListener('visibilitychange', () => {
    if (Date.now() - lastRun > 60_000) foreground('foreground');
  });
  whenOnline(() => {
    push.update(getSessions());
    foreground('online');
  });
  whenOffline(() => {
    push.update(getSessions());
    void registerOneOffSync();
  });
}

/** The session store's hook: mirror for the SW and follow the pushes of the current sessions. */
export function sessionsChanged(sessions: readonly MirroredSession[]): void {
  const mirrored = mirrorSessions(sessions);
  if (!started) return;
  push.update(sessions);
  void mirrored.then(() => requestSync('session'));
}
