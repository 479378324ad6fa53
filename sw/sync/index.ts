/**
 * Extension point: the sync loop (later issue). It will listen for `sync` (one-off Background Sync, when
 * the network returns), `periodicsync` (installed PWA, ≥ 12 h apart) and page messages (foreground runs),
 * and work in bounded, resumable steps because the browser may cut an event short (README §3).
 * Planned modules beside this one: loop.ts, downloadManager.ts, outbox.ts.
 */
export function registerSyncHandlers(_self: ServiceWorkerGlobalScope): void {
  // Intentionally empty until the sync loop lands.
}
