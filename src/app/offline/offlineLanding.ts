/**
 * Opening the app with no server must not be a dead end: when the server cannot be used (see
 * serverStatus.ts) while Home is open — at start or later — the app goes to *On this device*, and when the
 * server answers again it goes back, unless the person has moved on meanwhile. Only Home is left this way:
 * any other page says itself that it needs the server (StatusMessage, the banner) and links to the downloads.
 */
import { watch } from 'vue';
import type { Router } from 'vue-router';
import { useSessionStore } from '../stores/session';
import { useServerStatus } from './serverStatus';

export function useOfflineLanding(router: Router): void {
  const session = useSessionStore();
  const { offline } = useServerStatus();
  /** The page we left for the downloads, while we are still on the downloads because of it. */
  let leftFrom: string | undefined;

  watch(
    [offline, () => router.currentRoute.value.name],
    ([isOffline, name]) => {
      if (!session.isSignedIn) return;
      if (isOffline && name === 'home') {
        leftFrom = router.currentRoute.value.fullPath;
        void router.replace({ name: 'on-device' });
      } else if (leftFrom && name !== 'on-device') {
        leftFrom = undefined; // The person went somewhere else: do not pull them back later.
      } else if (!isOffline && leftFrom && name === 'on-device') {
        const back = leftFrom;
        leftFrom = undefined;
        void router.replace(back);
      }
    },
    { immediate: true },
  );
}
