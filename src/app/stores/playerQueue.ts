/**
 * The music queue the audio bar plays, and a signal that play state changed. Views that show Resume,
 * Next Up or played marks watch `userDataVersion` (or `lastChangedItemId`) and refetch, so a stop in the
 * player shows up at once without a reload.
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { BaseItemDto } from '../../shared/api/items';

export const usePlayerQueueStore = defineStore('playerQueue', () => {
  const items = ref<BaseItemDto[]>([]);
  const index = ref(0);
  const userDataVersion = ref(0);
  const lastChangedItemId = ref<string>();

  const current = computed<BaseItemDto | undefined>(() => items.value[index.value]);
  const hasNext = computed(() => index.value < items.value.length - 1);
  const hasPrevious = computed(() => index.value > 0);

  /** Replaces the queue and plays from `start`. */
  function playNow(tracks: readonly BaseItemDto[], start = 0): void {
    items.value = [...tracks];
    index.value = Math.max(0, Math.min(start, tracks.length - 1));
  }

  /** Adds to the end; starts playing when the queue was empty. */
  function enqueue(track: BaseItemDto): void {
    items.value = [...items.value, track];
  }

  function next(): boolean {
    if (!hasNext.value) return false;
    index.value++;
    return true;
  }

  function previous(): boolean {
    if (!hasPrevious.value) return false;
    index.value--;
    return true;
  }

  function jumpTo(i: number): void {
    if (i >= 0 && i < items.value.length) index.value = i;
  }

  function remove(i: number): void {
    if (i < 0 || i >= items.value.length) return;
    items.value = items.value.filter((_, k) => k !== i);
    if (i < index.value) index.value--;
    if (index.value >= items.value.length) index.value = Math.max(0, items.value.length - 1);
  }

  function clear(): void {
    items.value = [];
    index.value = 0;
  }

  function userDataChanged(itemId: string): void {
    lastChangedItemId.value = itemId;
    userDataVersion.value++;
  }

  return {
    items,
    index,
    current,
    hasNext,
    hasPrevious,
    userDataVersion,
    lastChangedItemId,
    playNow,
    enqueue,
    next,
    previous,
    jumpTo,
    remove,
    clear,
    userDataChanged,
  };
});
