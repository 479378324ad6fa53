/**
 * Camera upload in the service worker: the Web Share Target handler (POST /share-target from the system
 * share sheet, declared in public/manifest.webmanifest) and the uploader run (after every sync run and
 * when the page queues files).
 */
import { SYNC_CHANNEL } from '../db';
import { FileHasher } from '../sync/fileHasher';
import { UploadApi } from './uploadApi';
import { Uploader, type UploadRunSummary } from './uploader';
import { DexieUploadStorage } from './uploadStorage';

export const SHARE_TARGET_PATH = '/share-target';

/**
 * SHA-256 of a queued file of any size, read in 4 MiB slices through the streaming hasher, so the server
 * can recognise a photo or video it already has before a byte is uploaded.
 */
async function sha256(blob: Blob): Promise<string> {
  const hasher = await FileHasher.fresh();
  const slice = 4 * 1024 * 1024;
  for (let at = 0; at < blob.size; at += slice) hasher.update(new Uint8Array(await blob.slice(at, at + slice).arrayBuffer()));
  return hasher.hex();
}

export function createUploadRunner(
  self: ServiceWorkerGlobalScope,
  storage = new DexieUploadStorage(),
): (signal?: AbortSignal) => Promise<UploadRunSummary> {
  const channel = new BroadcastChannel(SYNC_CHANNEL);
  const uploader = new Uploader({
    store: storage,
    apiFor: (session) => new UploadApi(session),
    hash: sha256,
    onProgress: (row) =>
      channel.postMessage({
        type: 'upload-progress',
        id: row.id,
        state: row.state,
        offset: row.offset,
        size: row.size,
      }),
  });
  let running: Promise<UploadRunSummary> | undefined;
  return (signal) => {
    running ??= (async () => {
      const connection = (self.navigator as WorkerNavigator & { connection?: { type?: string } }).connection;
      const summary = await uploader.run(await storage.settings(), await storage.servers(), connection?.type, signal);
      await storage.saveLastRun(summary, Date.now());
      channel.postMessage({ type: 'upload-finished', summary });
      return summary;
    })().finally(() => {
      running = undefined;
    });
    return running;
  };
}

/**
 * The share sheet POSTs multipart form data here (manifest `share_target`): the files are queued in
 * IndexedDB at once, the uploader is started, and the browser is sent to the upload page (303, so a
 * reload does not post again).
 */
export function registerShareTarget(
  self: ServiceWorkerGlobalScope,
  startUploads: () => Promise<unknown>,
  storage = new DexieUploadStorage(),
): void {
  self.addEventListener('fetch', (event) => {
    const url = new URL(event.request.url);
    if (event.request.method !== 'POST' || url.origin !== self.location.origin || url.pathname !== SHARE_TARGET_PATH) return;
    event.respondWith(
      (async () => {
        let count = 0;
        try {
          const form = await event.request.formData();
          const files = [...form.getAll('media'), ...form.getAll('files')].filter((f): f is File => typeof f !== 'string');
          count = await storage.queue(files, 'share');
          event.waitUntil(startUploads().catch(() => undefined));
        } catch (err) {
          console.warn('share target: could not queue the shared files', err);
        }
        return Response.redirect(`/upload?shared=${count}`, 303);
      })(),
    );
  });
}
