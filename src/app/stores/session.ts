/**
 * Who is signed in where. Several servers' sessions may be kept (a home server and a friend's); one is
 * active. Remembered sessions live in localStorage, the others only for this tab (savedSessions.ts), so
 * "Remember me" off means closing the browser signs you out. What the store does is in sessionActions.ts.
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { ApiClient, normaliseServerUrl } from '../api/client';
import { reachability, whenOnline } from '../offline/network';
import { capabilityReporter } from './capabilityReport';
import { loadSessions, sessionKey, type ServerSession } from './savedSessions';
import * as act from './sessionActions';

export { LAST_USER_KEY, sessionKey, type ServerSession } from './savedSessions';

export const useSessionStore = defineStore('session', () => {
  const saved = loadSessions();
  const sessions = ref<ServerSession[]>(saved.sessions);
  const activeKey = ref<string | undefined>(saved.activeKey);

  const active = computed<ServerSession | undefined>(
    () => sessions.value.find((s) => sessionKey(s) === activeKey.value) ?? sessions.value[0],
  );
  const isSignedIn = computed(() => active.value !== undefined);

  /**
   * The API client for the active session; rebuilt when the session changes. Its requests tell
   * `reachability` whether the server answers, which is how the app notices a stopped server.
   */
  const api = computed<ApiClient | undefined>(() => {
    const s = active.value;
    if (!s) return undefined;
    const baseUrl = normaliseServerUrl(s.serverUrl);
    return new ApiClient(baseUrl, act.identityFor(s.deviceId), s.token, s.userId, reachability.fetchFor(baseUrl));
  });

  /** Tell the server what this browser plays (makes it a sync target). Once per session and page load. */
  const reportCapabilitiesOnce = capabilityReporter(() => ({ client: api.value, session: active.value }));
  // Skipped while there was no network: report as soon as it returns.
  whenOnline(() => void reportCapabilitiesOnce());

  const state: act.SessionState = { sessions, activeKey, active, api, reportCapabilities: reportCapabilitiesOnce };
  return {
    sessions,
    active,
    isSignedIn,
    api,
    signIn: (serverUrl: string, userName: string, password: string, remember: boolean) =>
      act.signIn(state, serverUrl, userName, password, remember),
    signInOffline: (c: act.OfflineCredentials) => act.signInOffline(state, c),
    signOut: () => act.signOut(state),
    reportCapabilitiesOnce,
    handleUnauthorized: (err: unknown) => act.handleUnauthorized(state, err),
    switchTo: (key: string) => act.switchTo(state, key),
    passwordChanged: () => act.passwordChanged(state),
  };
});
