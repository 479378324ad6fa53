/**
 * The service worker's sync loop against a real server in real Chromium, with the SW events fired through
 * the DevTools protocol (README §3): a periodic sync downloads a ready item; a one-off sync after the
 * network returns finishes a download cut at 40 % re-sending at most one chunk; a cancelled job's files
 * leave the device on the next sync.
 */
import type { Page } from '@playwright/test';
import { expect, snapshot, test } from './fixtures';
import {
  createJob,
  idbAll,
  jobItem,
  messageWorker,
  parkPage,
  signInAndWaitForWorker,
  startSwServer,
  SwDevtools,
  waitForStatus,
  waitForRun,
  type SwServer,
} from './sw-support';

const CHUNK = 128 * 1024;
let server: SwServer;

test.use({ demoLibrary: false });
test.beforeAll(async () => {
  server = await startSwServer();
});
test.afterAll(async () => {
  await server?.close();
});

test('a periodic sync downloads a ready item, with its subtitles, and tells the server', async ({ persistentContext: context }) => {
  const page = context.pages()[0] ?? (await context.newPage());
  const sw = await SwDevtools.attach(context, page, server.url);
  const deviceId = await signInAndWaitForWorker(page, server);
  await messageWorker(page, {
    type: 'test-config',
    settings: { chunkSize: CHUNK },
  });
  // Leave the app: no page is open to trigger a foreground run; only the periodic event may do the work.
  await parkPage(page, server.url);

  const { jobId, jobItemId } = await createJob(server, deviceId, 'Long Walk');
  const ready = await waitForStatus(server, jobId, jobItemId, 'ReadyToTransfer');
  expect(ready.AdditionalFiles.some((f: any) => f.Type === 'Subtitles')).toBe(true);
  expect(server.traffic.servedFor(jobItemId)).toBe(0);

  await sw.dispatchPeriodicSync();
  const synced = await waitForStatus(server, jobId, jobItemId, 'Synced');
  expect(server.traffic.servedFor(jobItemId)).toBe(synced.Size);

  await page.goto(`${server.url}/on-device`);
  const row = page.getByTestId('offline-item').filter({ hasText: 'Long Walk' });
  await expect(row).toHaveAttribute('data-step', 'synced');
  await expect(row.getByTestId('offline-state')).toContainText('On this device');
  const [local] = await idbAll(page, 'items');
  expect(local).toMatchObject({
    SyncJobItemId: jobItemId,
    step: 'synced',
    bytes: synced.Size,
    size: synced.Size,
    sha256: synced.Sha256,
    verifiedBy: 'blocks',
  });
  expect(local.Subtitles.length).toBeGreaterThan(0);
  const chunks = (await idbAll(page, 'chunks')).filter((c) => c.fileId === local.FileId);
  expect(chunks).toHaveLength(Math.ceil(synced.Size / CHUNK));
  await snapshot(page, '20-on-device');
  await server.admin.json('DELETE', `/Sync/Jobs/${jobId}`);
});

test('a one-off sync after the network returns finishes a download cut at 40 %, re-sending at most one chunk', async ({
  persistentContext: context,
}) => {
  const page = context.pages()[0] ?? (await context.newPage());
  const sw = await SwDevtools.attach(context, page, server.url);
  const deviceId = await signInAndWaitForWorker(page, server);
  await messageWorker(page, {
    type: 'test-config',
    settings: { chunkSize: CHUNK, backoffMs: 200 },
  });
  await parkPage(page, server.url);

  const { jobId, jobItemId } = await createJob(server, deviceId, 'Long Walk');
  const ready = await waitForStatus(server, jobId, jobItemId, 'ReadyToTransfer');
  const size: number = ready.Size;
  server.traffic.bytes.delete(jobItemId);
  server.traffic.cutAt = { jobItemId, bytes: Math.floor(size * 0.4) };

  // First attempt: the network goes at 40 %; the loop's retries find no server and give up for now.
  const started = Date.now();
  await sw.dispatchSync();
  await expect.poll(() => server.traffic.down).toBe(true);
  await context.setOffline(true);
  const firstRun = await waitForRun(page, started);
  expect(firstRun.downloaded).toBe(0);
  const [partial] = await idbAll(page, 'items');
  expect(partial).toMatchObject({ step: 'media', blocked: 'error' });
  expect(partial.bytes).toBe(Math.floor((size * 0.4) / CHUNK) * CHUNK);
  const servedBeforeCut = server.traffic.servedFor(jobItemId);
  expect(servedBeforeCut).toBe(Math.floor(size * 0.4));

  // Network back: the browser's one-off sync (fired here through DevTools) resumes from the last whole chunk.
  server.traffic.down = false;
  await context.setOffline(false);
  await sw.dispatchSync();
  const synced = await waitForStatus(server, jobId, jobItemId, 'Synced');
  const resent = server.traffic.servedFor(jobItemId) - size;
  expect(resent).toBeGreaterThanOrEqual(0);
  expect(resent).toBeLessThanOrEqual(CHUNK);

  await page.goto(`${server.url}/on-device`);
  const [local] = await idbAll(page, 'items');
  expect(local).toMatchObject({
    step: 'synced',
    bytes: size,
    sha256: synced.Sha256,
  });
  test.info().annotations.push({
    type: 'bytes re-sent after the cut',
    description: String(resent),
  });
  await server.admin.json('DELETE', `/Sync/Jobs/${jobId}`);
});

test('a cancelled job leaves the device on the next sync: chunks, subtitles and poster are freed', async ({
  persistentContext: context,
}) => {
  const page = context.pages()[0] ?? (await context.newPage());
  const sw = await SwDevtools.attach(context, page, server.url);
  const deviceId = await signInAndWaitForWorker(page, server);
  await messageWorker(page, {
    type: 'test-config',
    settings: { chunkSize: CHUNK },
  });

  const { jobId, jobItemId } = await createJob(server, deviceId, 'Long Walk');
  await waitForStatus(server, jobId, jobItemId, 'ReadyToTransfer');
  await sw.dispatchSync();
  await waitForStatus(server, jobId, jobItemId, 'Synced');
  await page.goto(`${server.url}/on-device`);
  await expect(page.getByTestId('offline-item')).toHaveCount(1);
  const [local] = await idbAll(page, 'items');
  const cached = () =>
    page.evaluate(async () => {
      const cache = await caches.open('stowaway-offline-v1');
      return (await cache.keys()).map((r) => new URL(r.url).pathname);
    });
  expect((await cached()).some((u) => u.startsWith('/offline/subtitles/'))).toBe(true);

  await server.admin.json('DELETE', `/Sync/Jobs/${jobId}`);
  await page.getByTestId('sync-now').click();
  await expect(page.getByTestId('offline-item')).toHaveCount(0);
  expect((await idbAll(page, 'items')).length).toBe(0);
  expect((await idbAll(page, 'chunks')).filter((c) => c.fileId === local.FileId)).toHaveLength(0);
  expect((await cached()).filter((u) => u.includes(local.Id))).toEqual([]);
});

test('a chunk corrupted on the way is caught by its block digest and fetched again alone', async ({ persistentContext: context }) => {
  const page = context.pages()[0] ?? (await context.newPage());
  const sw = await SwDevtools.attach(context, page, server.url);
  const deviceId = await signInAndWaitForWorker(page, server);
  await messageWorker(page, { type: 'test-config', settings: { chunkSize: CHUNK, backoffMs: 200 } });
  await parkPage(page, server.url);

  const { jobId, jobItemId } = await createJob(server, deviceId, 'Long Walk');
  const ready = await waitForStatus(server, jobId, jobItemId, 'ReadyToTransfer');
  expect(ready.Size).toBeGreaterThan(4 * CHUNK);
  server.traffic.bytes.delete(jobItemId);
  server.traffic.requests.delete(jobItemId);
  server.traffic.corrupt = { jobItemId, request: 3 }; // the third chunk arrives with one byte flipped

  await sw.dispatchSync();
  const synced = await waitForStatus(server, jobId, jobItemId, 'Synced');
  // That chunk once more, and at most the next one, which was on its way when the check failed.
  const extra = server.traffic.servedFor(jobItemId) - synced.Size;
  expect(extra).toBeGreaterThanOrEqual(CHUNK);
  expect(extra).toBeLessThanOrEqual(2 * CHUNK);
  // What the device holds is exactly the server's file.
  const [local] = await idbAll(page, 'items');
  const stored = await storedSha256(page, local.FileId, local.nextChunk);
  expect(stored).toBe(synced.Sha256);
  await server.admin.json('DELETE', `/Sync/Jobs/${jobId}`);
});

/** SHA-256 of what the device holds for a file: its chunks in order, read straight from IndexedDB. */
function storedSha256(page: Page, fileId: string, count: number): Promise<string> {
  return page.evaluate(
    async ({ fileId, count }) =>
      new Promise<string>((resolve, reject) => {
        const open = indexedDB.open('stowaway');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const parts: Blob[] = [];
          const store = open.result.transaction('chunks').objectStore('chunks');
          let pending = count;
          for (let i = 0; i < count; i++) {
            const req = store.get([fileId, i]);
            req.onsuccess = async () => {
              const data = req.result.data as Blob | ArrayBuffer;
              parts[i] = data instanceof Blob ? data : new Blob([data]);
              if (--pending > 0) return;
              const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await new Blob(parts).arrayBuffer()));
              open.result.close();
              resolve([...digest].map((b) => b.toString(16).padStart(2, '0')).join(''));
            };
          }
        };
      }),
    { fileId, count },
  );
}

/**
 * Chromium lets only a page start a Background Fetch, so these tests keep the app open (the on-device
 * page) instead of parking it: the service worker asks the page to start the fetch.
 */
test('a large item goes through Background Fetch: one request by the browser, stored as checked chunks, acknowledged', async ({
  persistentContext: context,
}) => {
  const page = context.pages()[0] ?? (await context.newPage());
  const sw = await SwDevtools.attach(context, page, server.url);
  const deviceId = await signInAndWaitForWorker(page, server);
  expect(await page.evaluate(async () => 'backgroundFetch' in (await navigator.serviceWorker.ready))).toBe(true);
  // Every item counts as large here; in use the bar is 256 MiB.
  await messageWorker(page, { type: 'test-config', settings: { chunkSize: CHUNK, backgroundFetchMinBytes: 1 } });
  await page.goto(`${server.url}/on-device`);

  const { jobId, jobItemId } = await createJob(server, deviceId, 'Long Walk');
  // The open app may start the run itself on the server's push; a one-off sync makes sure one happens.
  await expect.poll(async () => (await jobItem(server, jobItemId, jobId))?.Status).toMatch(/ReadyToTransfer|Transferring|Synced/);
  await sw.dispatchSync();
  const synced = await waitForStatus(server, jobId, jobItemId, 'Synced');
  // The browser fetched the file in one request, not the loop chunk by chunk.
  expect(server.traffic.requests.get(jobItemId)).toBe(1);
  expect(server.traffic.servedFor(jobItemId)).toBe(synced.Size);
  const [local] = await idbAll(page, 'items');
  expect(local).toMatchObject({ step: 'synced', bytes: synced.Size, verifiedBy: 'blocks' });
  expect(local.backgroundFetch).toBeUndefined();
  expect(local.nextChunk).toBe(Math.ceil(synced.Size / CHUNK));
  expect(await storedSha256(page, local.FileId, local.nextChunk)).toBe(synced.Sha256);
  await server.admin.json('DELETE', `/Sync/Jobs/${jobId}`);
});

test('a Background Fetch that fails hands the item back to the loop, which downloads it', async ({ persistentContext: context }) => {
  const page = context.pages()[0] ?? (await context.newPage());
  const sw = await SwDevtools.attach(context, page, server.url);
  const deviceId = await signInAndWaitForWorker(page, server);
  await messageWorker(page, { type: 'test-config', settings: { chunkSize: CHUNK, backgroundFetchMinBytes: 1 } });
  await page.goto(`${server.url}/on-device`);

  const { jobId, jobItemId } = await createJob(server, deviceId, 'Long Walk');
  // The browser's request fails (Chromium's download service retries a 5xx with backoff; a 4xx ends it).
  server.traffic.failWith = { jobItemId, status: 410, times: 1 };
  // The open app may start the run itself on the server's push; a one-off sync makes sure one happens.
  await expect.poll(async () => (await jobItem(server, jobItemId, jobId))?.Status).toMatch(/ReadyToTransfer|Transferring|Synced/);
  await sw.dispatchSync();
  const synced = await waitForStatus(server, jobId, jobItemId, 'Synced');
  // The browser's failed request(s), then the loop: its block digests and one request per chunk.
  const log = server.traffic.requestLog.filter((l) => l.includes(jobItemId) && /\/(File|Blocks)\?/.test(l));
  const loopStarts = log.findIndex((l) => l.includes('/Blocks?'));
  expect(loopStarts).toBeGreaterThanOrEqual(1);
  expect(log.slice(loopStarts + 1).every((l) => l.includes('/File?'))).toBe(true);
  expect(log.length - loopStarts - 1).toBe(Math.ceil(synced.Size / CHUNK));
  const [local] = await idbAll(page, 'items');
  expect(local).toMatchObject({ step: 'synced', bytes: synced.Size, verifiedBy: 'blocks' });
  expect(local.backgroundFetchRetryAt).toBeGreaterThan(Date.now());
  expect(await storedSha256(page, local.FileId, local.nextChunk)).toBe(synced.Sha256);
  await server.admin.json('DELETE', `/Sync/Jobs/${jobId}`);
});
