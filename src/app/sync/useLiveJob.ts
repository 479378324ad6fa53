/** One job and its items, kept current over SSE (`SyncJob` events; `null` once the job is gone). */
import { ref, watch } from 'vue';
import type { SyncJob, SyncJobItem } from '../../shared/api/sync';
import { getSyncJob, getSyncJobItems, syncEventsUrl } from '../api/sync';
import { useSessionStore } from '../stores/session';
import { useServerEvents } from './liveEvents';

export function useLiveJob(jobId: () => string) {
  const session = useSessionStore();
  const job = ref<SyncJob>();
  const items = ref<SyncJobItem[]>([]);
  const loading = ref(true);
  const error = ref<string>();
  const gone = ref(false);

  async function load() {
    const api = session.api;
    if (!api) return;
    loading.value = true;
    error.value = undefined;
    gone.value = false;
    try {
      const id = jobId();
      const [j, list] = await Promise.all([getSyncJob(api, id), getSyncJobItems(api, { jobId: id })]);
      job.value = j;
      items.value = list.Items;
    } catch (err) {
      if (!session.handleUnauthorized(err)) error.value = err instanceof Error ? err.message : String(err);
    } finally {
      loading.value = false;
    }
  }

  watch(jobId, load, { immediate: true });

  useServerEvents(() => (session.api && !gone.value ? syncEventsUrl(session.api, { jobId: jobId() }) : undefined), {
    SyncJob: (data) => {
      const update = data as { Job: SyncJob; JobItems: SyncJobItem[] } | null;
      if (!update) {
        gone.value = true;
        return;
      }
      job.value = update.Job;
      items.value = update.JobItems;
      loading.value = false;
    },
  });

  return { job, items, loading, error, gone, reload: load };
}
