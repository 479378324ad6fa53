/**
 * The signed-in user's policy as the server has it now. The session only remembers what sign-in said;
 * an administrator may have turned sync off since, and the sync actions must follow (the server enforces
 * the policy anyway — this only keeps the UI from offering what would answer 403).
 */
import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import type { UserDto } from '../../shared/api/users';
import { getUser } from '../api/users';
import { isOffline, whenOnline } from '../offline/network';
import { useSessionStore } from './session';

export const useCurrentUserStore = defineStore('currentUser', () => {
  const session = useSessionStore();
  const user = ref<UserDto>();
  const loadedFor = ref<string>();

  async function load(): Promise<void> {
    const api = session.api;
    const s = session.active;
    if (!api || !s) {
      user.value = undefined;
      loadedFor.value = undefined;
      return;
    }
    const key = `${s.serverUrl}/${s.userId}`;
    if (isOffline()) return; // asked again when the network is back
    try {
      const loaded = await getUser(api, s.userId);
      // A server switch while this was in flight must not apply the old user's policy.
      if (session.active && `${session.active.serverUrl}/${session.active.userId}` === key) {
        user.value = loaded;
        loadedFor.value = key;
      }
    } catch (err) {
      session.handleUnauthorized(err);
    }
  }

  watch(
    () => session.active && `${session.active.serverUrl}/${session.active.userId}`,
    (key) => {
      if (key !== loadedFor.value) {
        user.value = undefined;
        void load();
      }
    },
    { immediate: true },
  );

  whenOnline(() => {
    if (!user.value) void load();
  });

  /** Until the policy is known, sync stays hidden: showing it and then taking it away would jump. */
  const canSync = computed(() => user.value?.Policy.EnableSync === true);
  const canTranscode = computed(() => user.value?.Policy.EnableSyncTranscoding === true);
  const isAdministrator = computed(() => user.value?.Policy.IsAdministrator ?? session.active?.isAdministrator ?? false);

  return { user, canSync, canTranscode, isAdministrator, load };
});
