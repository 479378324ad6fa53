/**
 * The copy of an item on this device, if there is a complete one the user may see: such an item plays
 * from the device even online — no server transcode, no data used — through the offline player.
 */
import { ref, watch, type Ref } from 'vue';
import type { LocalItem } from '../../../sw/db';
import { items as offlineItems, watchOfflineState } from '../offline/offlineState';
import { useSessionStore } from '../stores/session';

export async function findLocalCopy(serverId: string, userId: string, itemId: string): Promise<LocalItem | undefined> {
  try {
    const { openDb } = await import('../../../sw/db');
    const rows = await openDb().items.where('[ServerId+ItemId]').equals([serverId, itemId]).toArray();
    return rows.find((r) => r.step === 'synced' && r.UserIdsWithAccess.includes(userId));
  } catch {
    return undefined; // No IndexedDB (private mode in some browsers): stream as usual.
  }
}

/** Follows the local copy of `itemId` for the active session (a download finishing or removed updates it). */
export function useLocalCopy(itemId: () => string | undefined): Ref<LocalItem | undefined> {
  const session = useSessionStore();
  const copy = ref<LocalItem>();
  let generation = 0;
  watchOfflineState();
  watch(
    [itemId, () => session.active?.serverId, () => session.active?.userId, offlineItems],
    async ([id, serverId, userId]) => {
      const mine = ++generation;
      const found = id && serverId && userId ? await findLocalCopy(serverId, userId, id) : undefined;
      if (mine === generation) copy.value = found;
    },
    { immediate: true },
  );
  return copy;
}
