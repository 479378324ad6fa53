/**
 * Whether to talk to servers at all. `navigator.onLine === false` is reliable (no network interface is
 * up), `true` is not (a captive portal, a dead server): so only the first is acted on — with no network
 * the app asks no server anything, and everything that would have waits for the `online` event.
 */
export function isOffline(): boolean {
  return typeof navigator !== 'undefined' && navigator.onLine === false;
}

/** Calls `fn` each time the network comes back; returns the unsubscribe. */
export function whenOnline(fn: () => void): () => void {
  if (typeof window === 'undefined') return () => {};
  window.addEventListener('online', fn);
  return () => window.removeEventListener('online', fn);
}

/** Calls `fn` each time the network goes; returns the unsubscribe. */
export function whenOffline(fn: () => void): () => void {
  if (typeof window === 'undefined') return () => {};
  window.addEventListener('offline', fn);
  return () => window.removeEventListener('offline', fn);
}
