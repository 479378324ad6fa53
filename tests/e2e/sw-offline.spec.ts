/**
 * Offline use of what the service worker downloaded: the library and the player work with no network
 * (Range answers from IndexedDB chunks, so seeking works; WebVTT from Cache Storage), an offline play
 * reaches the server exactly once after reconnecting, and a full disk stops downloads with a message
 * while keeping what is complete.
 *
 * Quota is simulated (documented in sw/sync/dexieStorage.ts): the SW message `test-config` with
 * `quotaBytes` makes the storage port throw a QuotaExceededError past that many stored bytes.
 */
import { expect, snapshot, test } from './fixtures';
import {
  createJob,
  idbAll,
  messageWorker,
  signInAndWaitForWorker,
  startSwServer,
  SwDevtools,
  waitForStatus,
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

test('plays a downloaded item offline with seeking and subtitles; the play reaches the server once', async ({
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

  await page.getByTestId('nav-on-device').click();
  await page.getByTestId('sync-now').click();
  const row = page.getByTestId('offline-item').filter({ hasText: 'Long Walk' });
  await expect(row).toHaveAttribute('data-step', 'synced', { timeout: 30_000 });
  const itemId = server.ids['Long Walk']!;
  const before = await server.admin.json('GET', `/Users/${server.admin.userId}/Items/${itemId}`);
  expect(before.UserData?.PlayCount ?? 0).toBe(0);

  // No network from here on; the page reloads from the SW's precache and reads only Dexie.
  await context.setOffline(true);
  const requestsBefore = server.traffic.requestLog.length;
  await page.reload();
  await expect(row).toHaveAttribute('data-step', 'synced');
  await row.getByRole('link', { name: 'Long Walk' }).click();
  // The same player component as online playback, playing the SW's file URL.
  const player = page.getByTestId('media-player');
  await expect(player).toHaveAttribute('data-engine', 'file');
  const video = player.locator('video');
  await expect(video).toBeVisible();

  await video.evaluate(async (el: HTMLVideoElement) => {
    el.muted = true;
    await el.play();
  });
  await expect.poll(() => video.evaluate((el: HTMLVideoElement) => el.currentTime)).toBeGreaterThan(0.3);
  // Seek past the middle: the SW answers a Range from a later chunk with 206, and playback carries on.
  await video.evaluate((el: HTMLVideoElement) => {
    el.currentTime = 5;
  });
  await expect.poll(() => video.evaluate((el: HTMLVideoElement) => el.currentTime)).toBeGreaterThan(5.3);
  const ranged = await page.evaluate(
    async (url) => {
      const res = await fetch(url, {
        headers: { Range: 'bytes=1000000-1000099' },
      });
      return {
        status: res.status,
        range: res.headers.get('Content-Range'),
        length: (await res.arrayBuffer()).byteLength,
      };
    },
    new URL(await video.evaluate((el: HTMLVideoElement) => el.currentSrc)).pathname,
  );
  expect(ranged).toMatchObject({ status: 206, length: 100 });
  expect(ranged.range).toMatch(/^bytes 1000000-1000099\/\d+$/);

  // The subtitle track comes from Cache Storage and has the sidecar's cue.
  const cue = await video.evaluate(async (el: HTMLVideoElement) => {
    const track = el.textTracks[0];
    if (!track) return null;
    track.mode = 'showing';
    for (let i = 0; i < 50 && !(track.cues && track.cues.length); i++) await new Promise((r) => setTimeout(r, 100));
    return track.cues && track.cues.length ? (track.cues[0] as VTTCue).text : null;
  });
  expect(cue).toContain('Words on a long walk.');
  await snapshot(page, '21-offline-player');

  await video.evaluate((el: HTMLVideoElement) => el.pause());
  await expect.poll(async () => (await idbAll(page, 'outbox')).length).toBe(1);
  const [action] = await idbAll(page, 'outbox');
  expect(action).toMatchObject({
    Type: 'PlayedItem',
    ItemId: itemId,
    UserId: server.admin.userId,
  });
  const [local] = await idbAll(page, 'items');
  expect(local.position).toBeGreaterThan(5);
  // Nothing of ours asked the server (the browser's own update check for /sw.js ignores emulated offline).
  expect(server.traffic.requestLog.slice(requestsBefore).filter((r) => !r.startsWith('GET /sw.js'))).toEqual([]);

  // Back online: the one-off sync sends the action; the server counts one play.
  await context.setOffline(false);
  await sw.dispatchSync();
  await expect
    .poll(async () => (await idbAll(page, 'outbox')).length, {
      timeout: 20_000,
    })
    .toBe(0);
  await expect
    .poll(async () => (await server.admin.json('GET', `/Users/${server.admin.userId}/Items/${itemId}`)).UserData?.PlayCount)
    .toBe(1);

  // The same action queued again (as if the answer to the first send was lost) is applied once.
  await page.evaluate(
    (row) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('stowaway');
        open.onsuccess = () => {
          const tx = open.result.transaction('outbox', 'readwrite');
          tx.objectStore('outbox').put(row);
          tx.oncomplete = () => (open.result.close(), resolve());
          tx.onerror = () => reject(tx.error);
        };
      }),
    action,
  );
  await sw.dispatchSync();
  await expect
    .poll(async () => (await idbAll(page, 'outbox')).length, {
      timeout: 20_000,
    })
    .toBe(0);
  expect((await server.admin.json('GET', `/Users/${server.admin.userId}/Items/${itemId}`)).UserData?.PlayCount).toBe(1);
  await server.admin.json('DELETE', `/Sync/Jobs/${jobId}`);
});

test('a full disk pauses downloads with a clear message and keeps what is complete', async ({ persistentContext: context }) => {
  const page = context.pages()[0] ?? (await context.newPage());
  const deviceId = await signInAndWaitForWorker(page, server);
  await messageWorker(page, {
    type: 'test-config',
    settings: { chunkSize: CHUNK },
  });
  await page.getByTestId('nav-on-device').click();

  const small = await createJob(server, deviceId, 'Short Hop');
  const smallItem = await waitForStatus(server, small.jobId, small.jobItemId, 'ReadyToTransfer');
  await page.getByTestId('sync-now').click();
  await waitForStatus(server, small.jobId, small.jobItemId, 'Synced');

  // Room for the small item and two chunks more.
  await messageWorker(page, {
    type: 'test-config',
    quotaBytes: smallItem.Size + 2 * CHUNK,
  });
  const big = await createJob(server, deviceId, 'Long Walk');
  await waitForStatus(server, big.jobId, big.jobItemId, 'ReadyToTransfer');
  await page.getByTestId('sync-now').click();
  await expect(page.getByTestId('quota-message')).toContainText('Storage is full', { timeout: 30_000 });
  await expect(page.getByTestId('offline-item').filter({ hasText: 'Long Walk' }).getByTestId('offline-state')).toContainText(
    'storage full',
  );
  await snapshot(page, '22-quota');

  // The complete item is untouched and still plays from the device.
  const items = await idbAll(page, 'items');
  const hop = items.find((i) => i.SyncJobItemId === small.jobItemId);
  const walk = items.find((i) => i.SyncJobItemId === big.jobItemId);
  expect(hop).toMatchObject({ step: 'synced', bytes: smallItem.Size });
  expect(walk).toMatchObject({
    step: 'media',
    blocked: 'quota',
    bytes: 2 * CHUNK,
  });
  const whole = await page.evaluate(async (id) => {
    const res = await fetch(`/offline/media/${id}`);
    return { status: res.status, length: (await res.arrayBuffer()).byteLength };
  }, hop.Id);
  expect(whole).toEqual({ status: 200, length: smallItem.Size });

  // Space again: "Sync now" retries and finishes from the chunks already stored.
  await messageWorker(page, { type: 'test-config', quotaBytes: null });
  await page.getByTestId('sync-now').click();
  await waitForStatus(server, big.jobId, big.jobItemId, 'Synced');
  await expect(page.getByTestId('quota-message')).toHaveCount(0);
});
