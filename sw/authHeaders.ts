/**
 * The headers every request of the service worker carries for a signed-in session: the same Emby identity
 * as the page's client (src/app/api/client.ts, device/identity.ts), so the server sees one device, and the
 * session's token. One builder for the sync loop (sync/serverApi.ts) and camera upload (upload/uploadApi.ts).
 */
import type { ServerRow } from './db';

const APP_NAME = 'Stowaway Web';
const APP_VERSION = '0.1.0';

/** The header format has no escaping: a quote or comma in a browser name would break parsing. */
function quote(value: string): string {
  return value.replace(/[",]/g, ' ');
}

export function sessionHeaders(session: ServerRow, extra: Record<string, string> = {}): Record<string, string> {
  return {
    Accept: 'application/json',
    'X-Emby-Authorization':
      `MediaBrowser Client="${APP_NAME}", Device="${quote(session.deviceName ?? 'Browser')}", DeviceId="${quote(session.deviceId)}", ` +
      `Version="${APP_VERSION}", UserId="${quote(session.userId)}"`,
    'X-Emby-Token': session.token,
    ...extra,
  };
}
