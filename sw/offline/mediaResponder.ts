/**
 * Extension point: answers the offline player's requests for `/offline/media/{id}` from IndexedDB chunks,
 * honouring Range (206 / 416) so `<video>` can seek (README §3 "Storage in the browser"). Registered now so
 * the route order in sw.ts is settled; the handler lands with the download manager.
 */
export const OFFLINE_MEDIA_PATH = /^\/offline\/media\/([^/]+)$/;

export function registerOfflineMediaRoute(): void {
  // Intentionally empty until media is stored offline.
}
