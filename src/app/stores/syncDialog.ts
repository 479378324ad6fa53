/**
 * One sync dialog for the whole app: any card, list, row or detail page opens it with a selection.
 * `jobsVersion` is bumped whenever the dialog creates a job, so views showing sync state (the detail
 * page's label and ring, poster checks on Home) refetch at once instead of after a reload.
 */
import { defineStore } from 'pinia';
import { nextTick, ref } from 'vue';
import type { SyncSelection } from '../sync/selection';

export const useSyncDialogStore = defineStore('syncDialog', () => {
  const selection = ref<SyncSelection>();
  const jobsVersion = ref(0);
  /** Where focus goes back to when the dialog closes (keyboard users keep their place). */
  let opener: HTMLElement | null = null;

  /**
   * `from`: the control that opens it. A tap does not focus a button everywhere (touch, Safari), so the
   * element focused at that moment is only the fallback.
   */
  function open(next: SyncSelection, from?: EventTarget | null): void {
    opener = from instanceof HTMLElement ? from : document.activeElement instanceof HTMLElement ? document.activeElement : null;
    selection.value = next;
  }

  function close(): void {
    selection.value = undefined;
    const back = opener;
    opener = null;
    // After the modal <dialog> has gone: while it is open, everything outside it is inert and cannot take focus.
    void nextTick(() => back?.focus());
  }

  function jobCreated(): void {
    jobsVersion.value++;
  }

  return { selection, jobsVersion, open, close, jobCreated };
});
