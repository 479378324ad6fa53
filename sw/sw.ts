/**
 * The service worker. Today: keeps the app shell available offline (Workbox precache of what
 * scripts/build.mjs lists) and updates under the page's control. Extension points for the sync work:
 *   - sync/        the sync loop (Items/Ready → download → Transferred → Sync/Data), run from
 *                  `sync` / `periodicsync` events and page messages — see sync/index.ts
 *   - db.ts        the Dexie schema shared with the app
 *   - offline/     the responder for /offline/media/{id} (Range → 206 from IndexedDB chunks)
 *   - upload/      camera upload: the share-target handler and the resumable uploader
 */
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { registerOfflineMediaRoute } from './offline/mediaResponder';
import { registerSyncHandlers } from './sync';
import { registerShareTarget } from './upload';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<{ url: string; revision: string | null }> };

// Replaced at build time by workbox-build's injectManifest with the hashed shell files.
precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

/**
 * Client-side routes (/item/…, /browse/…) load the precached index.html, so a reload offline still
 * shows the app. API paths are excluded: their 404s and 401s must stay JSON, never become the shell.
 */
const API_PREFIXES =
  /^\/(emby|mediabrowser|users|items|sync|system|sessions|shows|videos|audio|library|genres|musicgenres|studios|persons|artists|devices|collections|playlists|embywebsocket|socket|offline)(\/|$)/i;
registerRoute(new NavigationRoute(createHandlerBoundToURL('/index.html'), { denylist: [API_PREFIXES] }));

registerOfflineMediaRoute();
const { runUploads } = registerSyncHandlers(self);
// Web Share Target (manifest share_target): shared photos and videos are queued for camera upload.
registerShareTarget(self, runUploads);

// A new version waits until the page asks (workbox-window's messageSkipWaiting after the person agrees).
self.addEventListener('message', (event) => {
  if ((event.data as { type?: string } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});

// The first install takes open pages at once, so a page that registered us is offline-ready without a reload.
self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});
