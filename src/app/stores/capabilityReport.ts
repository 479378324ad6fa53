/**
 * Telling the server what this browser plays (POST /Sessions/Capabilities/Full with a DeviceProfile): that
 * makes the browser a sync target. Once per session token and page load; skipped with no network and
 * tried again when it returns, and after a failure on the next call.
 */
import type { ApiClient } from '../api/client';
import { reportCapabilities } from '../api/auth';
import { APP_NAME, describeBrowser } from '../device/identity';
import { isOffline } from '../offline/network';
import { buildDeviceProfile } from '../profile/deviceProfile';
import { browserProbe } from '../profile/probe';
import type { ServerSession } from './savedSessions';

export function capabilityReporter(current: () => { client?: ApiClient; session?: ServerSession }): () => Promise<void> {
  let reported: string | undefined;
  return async () => {
    const { client, session: s } = current();
    if (!client || !s || s.offline || reported === s.token || isOffline()) return;
    reported = s.token;
    try {
      const profile = await buildDeviceProfile(browserProbe(), { name: `${APP_NAME} (${describeBrowser()})` });
      await reportCapabilities(client, profile);
    } catch (err) {
      reported = undefined;
      console.warn('could not report capabilities', err);
    }
  };
}
