/**
 * Who is signed in where. Several servers' sessions may be kept (a home server and a friend's); one is
 * active. Remembered sessions live in localStorage, the others only for this tab (sessionStorage), so
 * "Remember me" off means closing the browser signs you out.
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { ApiClient, ApiError, normaliseServerUrl, type ClientIdentity } from '../api/client';
import { authenticateByName, logout, reportCapabilities } from '../api/auth';
import { APP_NAME, APP_VERSION, describeBrowser, deviceName, ensureDeviceId } from '../device/identity';
import { buildDeviceProfile } from '../profile/deviceProfile';
import { browserProbe } from '../profile/probe';
import { sessionsChanged } from '../offline/bridge';
import { isOffline, reachability, whenOnline } from '../offline/network';

export interface ServerSession {
  serverUrl: string;
  serverId: string;
  userId: string;
  userName: string;
  token: string;
  deviceId: string;
  isAdministrator: boolean;
  remember: boolean;
  /** Signed in with no network from the verifier kept on this device: only the offline library works. */
  offline?: boolean;
  /** Signed in with the generated first password: the app asks for a new one before anything else. */
  mustChangePassword?: boolean;
}

const SESSIONS_KEY = 'stowaway.sessions';
const ACTIVE_KEY = 'stowaway.activeSession';
export const LAST_USER_KEY = 'stowaway.lastUserName';

export function sessionKey(s: Pick<ServerSession, 'serverId' | 'userId'>): string {
  return `${s.serverId}/${s.userId}`;
}

function readList(storage: Storage): ServerSession[] {
  try {
    const parsed = JSON.parse(storage.getItem(SESSIONS_KEY) ?? '[]') as unknown;
    return Array.isArray(parsed) ? (parsed as ServerSession[]).filter((s) => s && (s.token || s.offline) && s.userId && s.serverUrl) : [];
  } catch {
    return [];
  }
}

function identityFor(deviceId: string): ClientIdentity {
  return { client: APP_NAME, device: deviceName(deviceId), deviceId, version: APP_VERSION };
}

export const useSessionStore = defineStore('session', () => {
  const sessions = ref<ServerSession[]>([...readList(localStorage), ...readList(sessionStorage)]);
  const activeKey = ref<string | undefined>(sessionStorage.getItem(ACTIVE_KEY) ?? localStorage.getItem(ACTIVE_KEY) ?? undefined);

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
    return new ApiClient(baseUrl, identityFor(s.deviceId), s.token, s.userId, reachability.fetchFor(baseUrl));
  });

  function persist(): void {
    localStorage.setItem(SESSIONS_KEY, JSON.stringify(sessions.value.filter((s) => s.remember)));
    sessionStorage.setItem(SESSIONS_KEY, JSON.stringify(sessions.value.filter((s) => !s.remember)));
    if (activeKey.value) {
      sessionStorage.setItem(ACTIVE_KEY, activeKey.value);
      localStorage.setItem(ACTIVE_KEY, activeKey.value);
    } else {
      sessionStorage.removeItem(ACTIVE_KEY);
      localStorage.removeItem(ACTIVE_KEY);
    }
    // The service worker cannot read localStorage: it gets the sessions through Dexie (offline sync).
    sessionsChanged(sessions.value);
  }

  async function signIn(serverUrl: string, userName: string, password: string, remember: boolean): Promise<ServerSession> {
    const deviceId = await ensureDeviceId();
    const anonymous = new ApiClient(normaliseServerUrl(serverUrl), identityFor(deviceId));
    const result = await authenticateByName(anonymous, userName.trim(), password);
    const session: ServerSession = {
      serverUrl: anonymous.baseUrl,
      serverId: result.ServerId,
      userId: result.User.Id,
      userName: result.User.Name,
      token: result.AccessToken,
      deviceId,
      isAdministrator: result.User.Policy?.IsAdministrator ?? false,
      remember,
      mustChangePassword: result.User.MustChangePassword === true || undefined,
    };
    sessions.value = [...sessions.value.filter((s) => sessionKey(s) !== sessionKey(session)), session];
    activeKey.value = sessionKey(session);
    persist();
    if (remember) localStorage.setItem(LAST_USER_KEY, session.userName);
    else localStorage.removeItem(LAST_USER_KEY);
    // Not awaited by the caller's navigation: browsing works without it; sync targets need it, so a
    // failure is logged and retried on the next start (see reportCapabilitiesOnce).
    void reportCapabilitiesOnce();
    return session;
  }

  /**
   * Offline sign-in (checked against the verifier in Dexie by the sign-in view): a session without a token,
   * for this tab only, so the offline library shows this user's items. Signing in online replaces it.
   */
  function signInOffline(c: { serverUrl: string; serverId: string; userId: string; userName: string; deviceId: string }): ServerSession {
    // Still signed in here (only the network is gone): switch to that session and keep its token.
    const kept = sessions.value.find((s) => sessionKey(s) === sessionKey(c) && s.token);
    if (kept) {
      activeKey.value = sessionKey(kept);
      persist();
      return kept;
    }
    const session: ServerSession = { ...c, token: '', isAdministrator: false, remember: false, offline: true };
    sessions.value = [...sessions.value.filter((s) => sessionKey(s) !== sessionKey(session)), session];
    activeKey.value = sessionKey(session);
    persist();
    return session;
  }

  let reported: string | undefined;
  /** Tell the server what this browser plays (makes it a sync target). Once per session and page load. */
  async function reportCapabilitiesOnce(): Promise<void> {
    const client = api.value;
    const s = active.value;
    if (!client || !s || s.offline || reported === s.token || isOffline()) return;
    reported = s.token;
    try {
      const profile = await buildDeviceProfile(browserProbe(), { name: `${APP_NAME} (${describeBrowser()})` });
      await reportCapabilities(client, profile);
    } catch (err) {
      reported = undefined;
      console.warn('could not report capabilities', err);
    }
  }
  // Skipped while there was no network: report as soon as it returns.
  whenOnline(() => void reportCapabilitiesOnce());

  /** Forget the session here; tell the server too when it's reachable (a token it can revoke). */
  async function signOut(): Promise<void> {
    const s = active.value;
    const client = api.value;
    if (!s) return;
    sessions.value = sessions.value.filter((x) => sessionKey(x) !== sessionKey(s));
    activeKey.value = sessions.value[0] ? sessionKey(sessions.value[0]) : undefined;
    persist();
    try {
      if (client) await logout(client);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
    }
  }

  /** The active user chose a new password: the prompt for the generated one goes. */
  function passwordChanged(): void {
    const s = active.value;
    if (!s?.mustChangePassword) return;
    sessions.value = sessions.value.map((x) => (sessionKey(x) === sessionKey(s) ? { ...x, mustChangePassword: undefined } : x));
    persist();
  }

  /** A 401 from the server means the token is gone (revoked, user deleted): drop it and sign in again. */
  function handleUnauthorized(err: unknown): boolean {
    if (err instanceof ApiError && err.status === 401) {
      void signOut();
      return true;
    }
    return false;
  }

  /** The server switcher: make another kept session the active one (each keeps its own token and user). */
  function switchTo(key: string): boolean {
    if (!sessions.value.some((x) => sessionKey(x) === key)) return false;
    activeKey.value = key;
    persist();
    void reportCapabilitiesOnce();
    return true;
  }

  return {
    sessions,
    active,
    isSignedIn,
    api,
    signIn,
    signInOffline,
    signOut,
    reportCapabilitiesOnce,
    handleUnauthorized,
    switchTo,
    passwordChanged,
  };
});
