/**
 * The page's side of camera upload: queue picked files in IndexedDB (the service worker uploads them),
 * read and change the settings the SW reads, and follow the queue. Works without network: files wait.
 */
import { ref } from 'vue';
import type { UploadRow, UploadSettings } from '../../../sw/db';
import { messageServiceWorker } from '../offline/bridge';

const loadDb = () => import('../../../sw/db');

export const uploads = ref<UploadRow[]>([]);
export const settings = ref<UploadSettings | undefined>();

export async function reloadUploads(): Promise<void> {
  const { openDb, DEFAULT_UPLOAD_SETTINGS } = await loadDb();
  const db = openDb();
  const [rows, stored] = await Promise.all([db.uploads.orderBy('addedAt').toArray(), db.meta.get('uploadSettings')]);
  uploads.value = rows;
  settings.value = {
    ...DEFAULT_UPLOAD_SETTINGS,
    ...(stored?.value as Partial<UploadSettings> | undefined),
  };
}

export async function saveSettings(next: UploadSettings): Promise<void> {
  const { writeMeta } = await loadDb();
  await writeMeta('uploadSettings', { ...next });
  settings.value = next;
  await messageServiceWorker({ type: 'upload' });
}

export async function queuePicked(files: readonly File[]): Promise<number> {
  const [{ openDb }, { queueFiles }] = await Promise.all([loadDb(), import('../../../sw/upload/queue')]);
  const count = await queueFiles(openDb(), files, 'picker');
  await reloadUploads();
  await messageServiceWorker({ type: 'upload' });
  return count;
}

export async function clearFinished(): Promise<void> {
  const { openDb } = await loadDb();
  await openDb().uploads.where('state').equals('done').delete();
  await reloadUploads();
}

let listening = false;
export function watchUploads(): void {
  if (listening || typeof BroadcastChannel === 'undefined') return;
  listening = true;
  let timer: ReturnType<typeof setTimeout> | undefined;
  new BroadcastChannel('stowaway-sync').addEventListener('message', (event: MessageEvent) => {
    const type = (event.data as { type?: string } | null)?.type;
    if (type !== 'upload-progress' && type !== 'upload-finished') return;
    clearTimeout(timer);
    timer = setTimeout(() => void reloadUploads(), 100);
  });
}

export function uploadStateText(row: UploadRow): string {
  if (row.state === 'done') return row.duplicate ? 'Already on the server' : 'Uploaded';
  if (row.state === 'failed') return `Not uploaded: ${row.error ?? 'refused by the server'}`;
  if (row.state === 'uploading') return `Uploading ${row.size ? Math.floor((row.offset / row.size) * 100) : 0} %`;
  return 'Waiting to upload';
}
