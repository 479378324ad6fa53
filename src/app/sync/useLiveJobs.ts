/** A list of sync jobs that stays current: one GET for errors in words, then SSE replaces the list on every change. */
import { computed, ref, watch } from 'vue';
import type { SyncJob, SyncJobStatus } from '../../shared/api/sync';
import { getSyncJobs, syncEventsUrl } from '../api/sync';
import { useSessionStore } from '../stores/session';
import { useServerEvents } from './liveEvents';

export interface JobFilter {
  /** Undefined (admins) = every user's jobs. */
  userId?: string;
  targetId?: string;
  statuses?: readonly SyncJobStatus[];
}

/** Filters that SSE cannot apply are applied here, so GET and live updates show the same rows. */
export function filterJobs(jobs: readonly SyncJob[], filter: JobFilter): SyncJob[] {
  return jobs.filter(
    (j) =>
      (!filter.userId || j.UserId === filter.userId) &&
      (!filter.targetId || j.TargetId === filter.targetId) &&
      (!filter.statuses?.length || filter.statuses.includes(j.Status)),
  );
}

export function useLiveJobs(filter: () => JobFilter | undefined) {
  const session = useSessionStore();
  const all = ref<SyncJob[]>([]);
  const loading = ref(true);
  const error = ref<string>();
  const jobs = computed(() => {
    const f = filter();
    return f ? filterJobs(all.value, f) : [];
  });

  async function load() {
    const api = session.api;
    const f = filter();
    if (!api || !f) return;
    loading.value = true;
    error.value = undefined;
    try {
      all.value = (await getSyncJobs(api, { userId: f.userId })).Items;
    } catch (err) {
      if (!session.handleUnauthorized(err)) error.value = err instanceof Error ? err.message : String(err);
    } finally {
      loading.value = false;
    }
  }

  watch(() => filter()?.userId ?? '*', load, { immediate: true });

  const { connected } = useServerEvents(
    () => {
      const f = filter();
      return session.api && f ? syncEventsUrl(session.api, { userId: f.userId }) : undefined;
    },
    {
      SyncJobs: (data) => {
        all.value = data as SyncJob[];
        loading.value = false;
        error.value = undefined;
      },
    },
  );

  return { jobs, all, loading, error, connected, reload: load };
}
