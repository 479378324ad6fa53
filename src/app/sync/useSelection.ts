/** Multi-select state for a list: on/off, which ids, and the selected items in list order. */
import { computed, ref, type Ref } from 'vue';
import type { BaseItemDto } from '../../shared/api/items';

export function useSelection(items: Ref<readonly BaseItemDto[]>) {
  const selecting = ref(false);
  const ids = ref<Set<string>>(new Set());

  const selected = computed(() => items.value.filter((i) => ids.value.has(i.Id)));

  function toggle(id: string): void {
    const next = new Set(ids.value);
    if (!next.delete(id)) next.add(id);
    ids.value = next;
  }

  function start(firstId?: string): void {
    selecting.value = true;
    ids.value = new Set(firstId ? [firstId] : []);
  }

  function stop(): void {
    selecting.value = false;
    ids.value = new Set();
  }

  return { selecting, ids, selected, toggle, start, stop };
}
