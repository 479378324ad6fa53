/**
 * First start: until the first library scan has ended there are no libraries, and an empty Home would look
 * broken. While the views list is empty, Home asks every two seconds what the library is doing — an
 * administrator's through GET /Library/ScanReport (which also says whether a scan has *ever* ended, so
 * "no scan yet" counts too), anyone else's through GET /Library/Status — and says "Preparing the
 * library…" with the phase and files done of total; the views are fetched again as soon as it is done,
 * no Refresh needed.
 */
import { computed, onBeforeUnmount, ref, watch } from 'vue';
import { getLibraryStatus, getScanReport, type ScanProgress } from '../api/library';
import { useCurrentUserStore } from '../stores/currentUser';
import { useLibraryStore } from '../stores/library';
import { useSessionStore } from '../stores/session';
import { describePreparation } from './libraryPreparation';

const POLL_MS = 2000;

interface Preparation {
  preparing: boolean;
  progress?: ScanProgress;
}

export function usePreparingLibrary() {
  const session = useSessionStore();
  const library = useLibraryStore();
  const user = useCurrentUserStore();
  const state = ref<Preparation>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const preparing = computed(() => library.views.length === 0 && state.value?.preparing === true);
  const progress = computed(() => describePreparation(state.value?.progress));

  async function ask(): Promise<Preparation> {
    const api = session.api!;
    if (user.isAdministrator) {
      const r = await getScanReport(api);
      return { preparing: r.IsScanning || !r.LastScan, progress: r.Progress };
    }
    const s = await getLibraryStatus(api);
    return { preparing: s.IsScanning || s.Phase !== 'Idle', progress: s };
  }

  async function check(): Promise<void> {
    timer = undefined;
    if (stopped || !session.api || library.views.length > 0) return;
    try {
      const wasPreparing = preparing.value;
      state.value = await ask();
      // It just ended (or ended between two looks): its views are there now.
      if (wasPreparing && !preparing.value) await library.loadViews();
    } catch {
      state.value = undefined; // Not reachable: the ordinary empty and error states apply.
      return;
    }
    if (preparing.value && !stopped) timer = setTimeout(() => void check(), POLL_MS);
  }

  // Look once the views have loaded empty (also after a Refresh that found none).
  watch(
    () => !library.viewsLoading && !library.viewsError && library.views.length === 0 && session.isSignedIn,
    (empty) => {
      if (empty && !timer) void check();
    },
    { immediate: true },
  );

  onBeforeUnmount(() => {
    stopped = true;
    if (timer) clearTimeout(timer);
  });

  return { preparing, progress };
}
