/**
 * This browser's downloads as the progress model reads them (src/shared/syncProgress.ts): the offline
 * catalogue and the service worker's live figures (offline/offlineState.ts), for the active server, by
 * job item, by job and by library item. Every screen that shows a job or an item for this device takes its
 * download figures from here, so they all show the same bytes at the same moment.
 */
import { computed } from 'vue';
import type { LocalItem } from '../../../sw/db';
import type { DeviceDownload } from '../../shared/syncProgress';
import { items, progressOf, watchOfflineState } from '../offline/offlineState';
import { useSessionStore } from '../stores/session';

export function deviceDownloadOf(item: LocalItem): DeviceDownload {
  const p = progressOf(item);
  return { step: p.step, bytes: p.bytes, size: p.size, blocked: p.blocked, byBrowser: !!item.backgroundFetch };
}

const RANK: Record<DeviceDownload['step'], number> = { media: 0, extras: 1, transfer: 2, synced: 3 };

function create(session: ReturnType<typeof useSessionStore>) {
  const mine = computed(() => items.value.filter((i) => i.ServerId === session.active?.serverId));
  const byJobItem = computed(() => new Map(mine.value.map((i) => [i.SyncJobItemId, deviceDownloadOf(i)])));
  const byJob = computed(() => {
    const out = new Map<string, DeviceDownload[]>();
    for (const i of mine.value) out.set(i.SyncJobId, [...(out.get(i.SyncJobId) ?? []), deviceDownloadOf(i)]);
    return out;
  });
  /** Per library item, its most advanced download (two jobs may hold one item). */
  const byItem = computed(() => {
    const out = new Map<string, DeviceDownload>();
    for (const i of mine.value) {
      const d = deviceDownloadOf(i);
      const prev = out.get(i.ItemId);
      if (!prev || RANK[d.step] > RANK[prev.step] || (d.step === prev.step && d.bytes > prev.bytes)) out.set(i.ItemId, d);
    }
    return out;
  });
  const isThisDevice = (targetId: string | undefined) => !!targetId && targetId === session.active?.deviceId;
  return { session, byJobItem, byJob, byItem, isThisDevice };
}

/** One set of maps for every poster and row on the page (a grid shows hundreds of items). */
let shared: ReturnType<typeof create> | undefined;

export function useDeviceDownloads() {
  const session = useSessionStore();
  watchOfflineState();
  if (shared?.session !== session) shared = create(session);
  return shared;
}
