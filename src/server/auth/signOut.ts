/**
 * Signing out (`POST /Sessions/Logout`): the token goes; the device remembers the moment as the user's last
 * presence on it (offline actions queued for them there are accepted a while longer, see SyncAccess); and
 * the session's live channels close now rather than at their next event (issue 14 item 8).
 */
import type { AuthContext } from './authService.js';

export interface SignOutDeps {
  auth: { logout(tokenHash: string): void };
  devices: { touchUser(deviceId: string, userId: string, when: string): void };
  liveChannels: { endSession(tokenHash: string): number };
  now?: () => Date;
}

export function signOut(d: SignOutDeps, session: AuthContext): void {
  d.auth.logout(session.tokenHash);
  d.devices.touchUser(session.deviceId, session.user.id, (d.now?.() ?? new Date()).toISOString());
  d.liveChannels.endSession(session.tokenHash);
}
