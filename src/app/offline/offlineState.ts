/**
 * What the app knows about the device's offline library, for every view at once: the LocalItems from
 * Dexie (the catalogue — no server involved) and the live progress the service worker broadcasts.
 * Module-level state: one BroadcastChannel and one Dexie read per change, however many views listen.
 */
import { computed, reactive, ref } from 'vue';
import type { LocalItem, OutboxRow } from '../../../sw/db';

const loadDb = () => import('../../../sw/db');

export interface LiveProgress {
  id: string;
  name: string;
  step: LocalItem['step'];
  bytes: number;
  size?: number;
  blocked?: LocalItem['blocked'];
  error?: string;
}

export interface RunSummaryView {
  reason: string;
  finishedAt: number;
  downloaded: number;
  removed: number;
  actionsSent: number;
  quotaExceeded: boolean;
  errors: string[];
  offline: boolean;
}

export const items = ref<LocalItem[]>([]);
export const outbox = ref<OutboxRow[]>([]);
export const live = reactive(new Map<string, LiveProgress>());
export const running = ref(false);
export const lastRun = ref<RunSummaryView | undefined>();
export const pausedAll = ref(false);
export const loaded = ref(false);

/** Bytes and state per item, the live figure winning over the stored one while a download runs. */
export function progressOf(item: LocalItem): {
  bytes: number;
  size?: number;
  step: LocalItem['step'];
  blocked?: LocalItem['blocked'];
  error?: string;
} {
  const p = live.get(item.Id);
  if (!p || p.error === 'removed')
    return {
      bytes: item.bytes,
      size: item.size,
      step: item.step,
      blocked: item.blocked,
      error: item.error,
    };
  return {
    bytes: Math.max(p.bytes, item.step === p.step ? item.bytes : 0),
    size: p.size ?? item.size,
    step: p.step,
    blocked: p.blocked,
    error: p.error,
  };
}

export const downloading = computed(() => items.value.filter((i) => progressOf(i).step !== 'synced'));

export const quotaMessage = computed(() => {
  const blocked = items.value.find((i) => progressOf(i).blocked === 'quota');
  return blocked ? (progressOf(blocked).error ?? 'Storage is full: downloads are paused.') : undefined;
});

let reloadTimer: ReturnType<typeof setTimeout> | undefined;
export async function reload(): Promise<void> {
  try {
    const { openDb } = await loadDb();
    const db = openDb();
    const [all, actions, paused, run] = await Promise.all([
      db.items.toArray(),
      db.outbox.toArray(),
      db.meta.get('pausedAll'),
      db.meta.get('lastRun'),
    ]);
    items.value = all.sort((a, b) => a.addedAt - b.addedAt);
    outbox.value = actions;
    pausedAll.value = (paused?.value as boolean | undefined) ?? false;
    lastRun.value = (run?.value as RunSummaryView | undefined) ?? lastRun.value;
    for (const id of [...live.keys()]) if (!all.some((i) => i.Id === id)) live.delete(id);
  } catch (err) {
    console.warn('could not read the offline library', err);
  } finally {
    loaded.value = true;
  }
}

function scheduleReload(): void {
  clearTimeout(reloadTimer);
  reloadTimer = setTimeout(() => void reload(), 100);
}

let listening = false;
/** Starts following the service worker's broadcasts (idempotent). */
export function watchOfflineState(): void {
  if (listening) return;
  listening = true;
  void reload();
  if (typeof BroadcastChannel === 'undefined') return;
  const channel = new BroadcastChannel('stowaway-sync');
  channel.addEventListener('message', (event: MessageEvent) => {
    const msg = event.data as {
      type: string;
      item?: LiveProgress;
      summary?: RunSummaryView;
      id?: string;
    };
    if (msg.type === 'progress' && msg.item) {
      const before = live.get(msg.item.id);
      live.set(msg.item.id, msg.item);
      if (!before || before.step !== msg.item.step || before.blocked !== msg.item.blocked || msg.item.error === 'removed') scheduleReload();
      if (!items.value.some((i) => i.Id === msg.item!.id)) scheduleReload();
    } else if (msg.type === 'run-started') {
      running.value = true;
    } else if (msg.type === 'run-finished') {
      running.value = false;
      if (msg.summary) lastRun.value = msg.summary;
      scheduleReload();
    } else if (msg.type === 'removed') {
      scheduleReload();
    }
  });
}
