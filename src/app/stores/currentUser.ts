/**
 * The signed-in user's policy as the server has it now. The session only remembers what sign-in said;
 * an administrator may have turned sync off since, and the sync actions must follow (the server enforces
 * the policy anyway — this only keeps the UI from offering what would answer 403). The flags the
 * navigation depends on are also kept from the last answer (localStorage), so with no server the tabs
 * stay what they were instead of losing *Sync jobs*.
 */
import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import type { UserDto } from '../../shared/api/users';
import { getUser } from '../api/users';
import { isOffline, reachability, whenOnline } from '../offline/network';
import { useSessionStore } from './session';

type PolicyFlags = Pick<UserDto['Policy'], 'EnableSync' | 'EnableSyncTranscoding' | 'IsAdministrator' | 'EnableCameraUpload'>;
const FLAGS_KEY = 'stowaway.policyFlags';

function readFlags(key: string | undefined): PolicyFlags | undefined {
  if (!key) return undefined;
  try {
    return (JSON.parse(localStorage.getItem(FLAGS_KEY) ?? '{}') as Record<string, PolicyFlags>)[key];
  } catch {
    return undefined;
  }
}

function writeFlags(key: string, p: UserDto['Policy']): void {
  try {
    const all = JSON.parse(localStorage.getItem(FLAGS_KEY) ?? '{}') as Record<string, PolicyFlags>;
    all[key] = {
      EnableSync: p.EnableSync,
      EnableSyncTranscoding: p.EnableSyncTranscoding,
      IsAdministrator: p.IsAdministrator,
      EnableCameraUpload: p.EnableCameraUpload,
    };
    localStorage.setItem(FLAGS_KEY, JSON.stringify(all));
  } catch {
    // Only a convenience for the offline navigation.
  }
}

export const useCurrentUserStore = defineStore('currentUser', () => {
  const session = useSessionStore();
  const user = ref<UserDto>();
  const loadedFor = ref<string>();
  const remembered = ref<PolicyFlags>();

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
        writeFlags(key, loaded.Policy);
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
        remembered.value = readFlags(key);
        void load();
      }
    },
    { immediate: true },
  );

  whenOnline(() => {
    if (!user.value) void load();
  });
  // A server that was stopped answers again: ask for the policy it could not give.
  watch(
    () => session.api !== undefined && reachability.isUnreachable(session.api.baseUrl),
    (down, wasDown) => {
      if (wasDown && !down && !user.value) void load();
    },
  );

  /** Until the policy is known (now or from last time), sync stays hidden: showing it and then taking it away would jump. */
  const canSync = computed(() => (user.value?.Policy ?? remembered.value)?.EnableSync === true);
  const canTranscode = computed(() => (user.value?.Policy ?? remembered.value)?.EnableSyncTranscoding === true);
  const isAdministrator = computed(
    () => user.value?.Policy.IsAdministrator ?? remembered.value?.IsAdministrator ?? session.active?.isAdministrator ?? false,
  );
  /** Camera upload is offered unless the server said no (an unknown policy does not hide it). */
  const canUpload = computed(() => (user.value?.Policy ?? remembered.value)?.EnableCameraUpload !== false);
  /** The server has answered for this user in this page (not only remembered flags). */
  const policyKnown = computed(() => user.value !== undefined);

  return { user, canSync, canTranscode, canUpload, isAdministrator, policyKnown, load };
});
