/**
 * Keeps a view's server data current after things this app did elsewhere: a Stopped report (played
 * state, Resume, Next Up — `userDataVersion` of the player store) or a new sync job (`jobsVersion` of the
 * sync dialog). The view's `refresh` should keep showing what it has until the new answer arrives.
 */
import { watch } from 'vue';
import { usePlayerQueueStore } from '../stores/playerQueue';
import { useSyncDialogStore } from '../stores/syncDialog';

export function useLiveRefresh(refresh: () => unknown): void {
  const queue = usePlayerQueueStore();
  const dialog = useSyncDialogStore();
  watch(
    () => [queue.userDataVersion, dialog.jobsVersion],
    () => void refresh(),
  );
}
