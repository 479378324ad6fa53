/**
 * Is the active server usable right now? No network at all, a session signed in offline (no token), or a
 * server that stopped answering all mean the same to a page: what needs the server cannot work, and what
 * is on this device can. One place, so the banner, the error messages and the landing agree.
 */
import { computed } from 'vue';
import { useSessionStore } from '../stores/session';
import { reachability } from './network';

export type OfflineReason = 'network' | 'server' | 'signed-in-offline';

export function useServerStatus() {
  const session = useSessionStore();
  const reason = computed<OfflineReason | undefined>(() => {
    if (!reachability.networkUp.value) return 'network';
    if (session.active?.offline) return 'signed-in-offline';
    const baseUrl = session.api?.baseUrl;
    return baseUrl && reachability.unreachable.has(baseUrl) ? 'server' : undefined;
  });
  const offline = computed(() => reason.value !== undefined);
  return { offline, reason, retry: () => reachability.probeNow() };
}
