/**
 * Registers sw.js with workbox-window and exposes "a new version is ready" to the UI. The new worker waits
 * until the person chooses to reload (SKIP_WAITING), so an open page never runs against a half-swapped
 * shell; sw.js itself is served no-cache (src/server/http/appStatic.ts) so updates are noticed.
 */
import { Workbox } from 'workbox-window';
import { ref } from 'vue';

export const updateReady = ref(false);
export const serviceWorkerActive = ref(false);
let workbox: Workbox | undefined;

export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator)) return; // http on a LAN address is not a secure context: no SW
  workbox = new Workbox('/sw.js', { scope: '/' });
  workbox.addEventListener('waiting', () => {
    updateReady.value = true;
  });
  workbox.addEventListener('controlling', (event) => {
    // Reload only for an update the person asked for, not for the first install's clients.claim().
    if (event.isUpdate) window.location.reload();
  });
  workbox.addEventListener('activated', () => {
    serviceWorkerActive.value = true;
  });
  workbox.register().catch((err: unknown) => console.warn('service worker registration failed', err));
}

export function applyUpdate(): void {
  workbox?.messageSkipWaiting();
}
