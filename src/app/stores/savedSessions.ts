/**
 * Where the session store keeps its sessions between page loads: remembered ones in localStorage, the
 * others only for this tab (sessionStorage), so "Remember me" off means closing the browser signs you out.
 */
import type { MirroredSession } from '../offline/bridge';

export interface ServerSession extends MirroredSession {
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

export function loadSessions(): { sessions: ServerSession[]; activeKey: string | undefined } {
  return {
    sessions: [...readList(localStorage), ...readList(sessionStorage)],
    activeKey: sessionStorage.getItem(ACTIVE_KEY) ?? localStorage.getItem(ACTIVE_KEY) ?? undefined,
  };
}

export function saveSessions(sessions: readonly ServerSession[], activeKey: string | undefined): void {
  localStorage.setItem(SESSIONS_KEY, JSON.stringify(sessions.filter((s) => s.remember)));
  sessionStorage.setItem(SESSIONS_KEY, JSON.stringify(sessions.filter((s) => !s.remember)));
  if (activeKey) {
    sessionStorage.setItem(ACTIVE_KEY, activeKey);
    localStorage.setItem(ACTIVE_KEY, activeKey);
  } else {
    sessionStorage.removeItem(ACTIVE_KEY);
    localStorage.removeItem(ACTIVE_KEY);
  }
}

/** The sign-in form offers the last remembered user name; not remembering forgets it. */
export function rememberUserName(session: ServerSession): void {
  if (session.remember) localStorage.setItem(LAST_USER_KEY, session.userName);
  else localStorage.removeItem(LAST_USER_KEY);
}
