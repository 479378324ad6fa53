/**
 * First start: until the first library scan has ended there are no libraries, and an empty Home would look
 * broken. While the views list is empty, an administrator's Home asks GET /Library/ScanReport every two
 * seconds: a scan running, or none finished yet, means "Preparing the library…" (with files done of
 * found when the server says), and the views are fetched again as soon as the scan ends — no Refresh
 * needed. Others cannot read the scan report; their empty Home says what their rights explain.
 */
import { computed, onBeforeUnmount, ref, watch } from 'vue';
import { getScanReport, type ScanReport } from '../api/library';
import { useCurrentUserStore } from '../stores/currentUser';
import { useLibraryStore } from '../stores/library';
import { useSessionStore } from '../stores/session';

const POLL_MS = 2000;

export function usePreparingLibrary() {
  const session = useSessionStore();
  const library = useLibraryStore();
  const user = useCurrentUserStore();
  const report = ref<ScanReport>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const preparing = computed(
    () => library.views.length === 0 && report.value !== undefined && (report.value.IsScanning || !report.value.LastScan),
  );
  const progress = computed(() => {
    const p = report.value?.Progress;
    if (!p || p.FilesDone === undefined) return undefined;
    return { done: p.FilesDone, total: p.FilesTotal };
  });

  async function check(): Promise<void> {
    timer = undefined;
    const api = session.api;
    if (stopped || !api || !user.isAdministrator || library.views.length > 0) return;
    try {
      const wasPreparing = preparing.value;
      report.value = await getScanReport(api);
      // The scan just ended (or ended between two looks): its views are there now.
      if (wasPreparing && !preparing.value) await library.loadViews();
    } catch {
      report.value = undefined; // Not allowed or not reachable: the ordinary empty and error states apply.
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

  return { preparing, progress, report };
}
