/**
 * What the session store does (session.ts holds the state): sign in online or offline, switch, sign out,
 * forget a revoked token. Plain functions over the store's refs, so each reads on its own.
 */
import type { ComputedRef, Ref } from 'vue';
import { ApiClient, ApiError, normaliseServerUrl, type ClientIdentity } from '../api/client';
import { authenticateByName, logout } from '../api/auth';
import { APP_NAME, APP_VERSION, deviceName, ensureDeviceId } from '../device/identity';
import { sessionsChanged } from '../offline/bridge';
import { rememberUserName, saveSessions, sessionKey, type ServerSession } from './savedSessions';

export interface SessionState {
  sessions: Ref<ServerSession[]>;
  activeKey: Ref<string | undefined>;
  active: ComputedRef<ServerSession | undefined>;
  api: ComputedRef<ApiClient | undefined>;
  /** Tells the server what this browser plays (capabilityReport.ts). */
  reportCapabilities(): Promise<void>;
}

/** What an offline sign-in knows: the verifier kept on this device names the server and user. */
export type OfflineCredentials = Pick<ServerSession, 'serverUrl' | 'serverId' | 'userId' | 'userName' | 'deviceId'>;

export function identityFor(deviceId: string): ClientIdentity {
  return { client: APP_NAME, device: deviceName(deviceId), deviceId, version: APP_VERSION };
}

function persist(state: SessionState): void {
  saveSessions(state.sessions.value, state.activeKey.value);
  // The service worker cannot read localStorage: it gets the sessions through Dexie (offline sync).
  sessionsChanged(state.sessions.value);
}

/** Makes `session` the active one, in place of an earlier session of the same user on that server. */
function activate(state: SessionState, session: ServerSession): void {
  state.sessions.value = [...state.sessions.value.filter((s) => sessionKey(s) !== sessionKey(session)), session];
  state.activeKey.value = sessionKey(session);
  persist(state);
}

export async function signIn(
  state: SessionState,
  serverUrl: string,
  userName: string,
  password: string,
  remember: boolean,
): Promise<ServerSession> {
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
  activate(state, session);
  rememberUserName(session);
  // Not awaited by the caller's navigation: browsing works without it; sync targets need it, so a
  // failure is logged and retried on the next start (see capabilityReport.ts).
  void state.reportCapabilities();
  return session;
}

/**
 * Offline sign-in (checked against the verifier in Dexie by the sign-in view): a session without a token,
 * for this tab only, so the offline library shows this user's items. Signing in online replaces it.
 */
export function signInOffline(state: SessionState, c: OfflineCredentials): ServerSession {
  // Still signed in here (only the network is gone): switch to that session and keep its token.
  const kept = state.sessions.value.find((s) => sessionKey(s) === sessionKey(c) && s.token);
  if (kept) {
    state.activeKey.value = sessionKey(kept);
    persist(state);
    return kept;
  }
  const session: ServerSession = { ...c, token: '', isAdministrator: false, remember: false, offline: true };
  activate(state, session);
  return session;
}

/** Forget the session here; tell the server too when it's reachable (a token it can revoke). */
export async function signOut(state: SessionState): Promise<void> {
  const s = state.active.value;
  const client = state.api.value;
  if (!s) return;
  state.sessions.value = state.sessions.value.filter((x) => sessionKey(x) !== sessionKey(s));
  state.activeKey.value = state.sessions.value[0] ? sessionKey(state.sessions.value[0]) : undefined;
  persist(state);
  try {
    if (client) await logout(client);
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
  }
}

/** The active user chose a new password: the prompt for the generated one goes. */
export function passwordChanged(state: SessionState): void {
  const s = state.active.value;
  if (!s?.mustChangePassword) return;
  state.sessions.value = state.sessions.value.map((x) => (sessionKey(x) === sessionKey(s) ? { ...x, mustChangePassword: undefined } : x));
  persist(state);
}

/** A 401 from the server means the token is gone (revoked, user deleted): drop it and sign in again. */
export function handleUnauthorized(state: SessionState, err: unknown): boolean {
  if (err instanceof ApiError && err.status === 401) {
    void signOut(state);
    return true;
  }
  return false;
}

/** The server switcher: make another kept session the active one (each keeps its own token and user). */
export function switchTo(state: SessionState, key: string): boolean {
  if (!state.sessions.value.some((x) => sessionKey(x) === key)) return false;
  state.activeKey.value = key;
  persist(state);
  void state.reportCapabilities();
  return true;
}
