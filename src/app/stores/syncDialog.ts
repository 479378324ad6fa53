/**
 * One sync dialog for the whole app: any card, list, row or detail page opens it with a selection.
 * `jobsVersion` is bumped whenever the dialog creates a job, so views showing sync state (the detail
 * page's label and ring, poster checks on Home) refetch at once instead of after a reload.
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { SyncSelection } from '../sync/selection';

export const useSyncDialogStore = defineStore('syncDialog', () => {
  const selection = ref<SyncSelection>();
  const jobsVersion = ref(0);
  /** Where focus goes back to when the dialog closes (keyboard users keep their place). */
  let opener: HTMLElement | null = null;

  function open(next: SyncSelection): void {
    opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    selection.value = next;
  }

  function close(): void {
    selection.value = undefined;
    opener?.focus();
    opener = null;
  }

  function jobCreated(): void {
    jobsVersion.value++;
  }

  return { selection, jobsVersion, open, close, jobCreated };
});
