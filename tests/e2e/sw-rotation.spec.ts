/**
 * The "unwatched only" rolling window, end to end in real Chromium: a series job with UnwatchedOnly and
 * ItemLimit 2 puts episodes 1 and 2 on the device; episode 1 is played to the end in the offline player
 * with no network; when the network is back, one-off syncs (fired through the DevTools protocol, README §3)
 * send the play, take episode 1 off the device (item and chunks) and bring episode 3 in its place, while
 * episode 2 stays and nothing is left in the outbox.
 *
 * startSwServer's library has films only, so this file builds its own 3-episode series on the same parts
 * (startTestServer, FileTraffic) and hands the sw-support helpers an SwServer of its own.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ensureAdministrator } from '../../src/server/system/firstRun';
import { makeClip, tempDir } from '../helpers/media';
import { signIn, startTestServer } from '../helpers/server';
import { ADMIN_PASSWORD, ADMIN_USER, APP_DIR, expect, snapshot, test } from './fixtures';
import {
  createJob,
  FileTraffic,
  idbAll,
  messageWorker,
  signInAndWaitForWorker,
  SwDevtools,
  waitForStatus,
  type SwServer,
} from './sw-support';

const CHUNK = 128 * 1024;
const SERIES = 'Rotation Show';
const EPISODES = ['First Light', 'Second Wind', 'Third Rail'] as const;
let server: SwServer;

async function startSeriesServer(): Promise<SwServer> {
  for (const f of ['index.html', 'sw.js']) {
    if (!fs.existsSync(path.join(APP_DIR, f))) throw new Error('dist/app is not built: run `npm run build` first.');
  }
  const media = tempDir('stowaway-sw-rotation-');
  const season = path.join(media, 'Shows', SERIES, 'Season 01');
  fs.mkdirSync(season, { recursive: true });
  // 2 s at a constant 1 Mbps ≈ 280 kB: three 128 KiB chunks each, so "its chunks are gone" means several rows.
  await Promise.all(
    EPISODES.map((title, n) =>
      makeClip(season, `${SERIES} - S01E0${n + 1} - ${title}.mp4`, { seconds: 2, size: '320x180', bitrate: '1M' }),
    ),
  );
  const base = await startTestServer({
    appDir: APP_DIR,
    mediaDirs: [media],
    adminUser: ADMIN_USER,
    adminPassword: ADMIN_PASSWORD,
  });
  await ensureAdministrator(base.built.deps);
  await base.built.deps.library.scanner.scan();
  const traffic = new FileTraffic();
  traffic.install(base.built.app.server);
  const admin = await signIn(base.url, ADMIN_USER, ADMIN_PASSWORD, 'e2e-node');
  const rows = base.built.deps.db.prepare('SELECT id, name FROM items').all() as { id: string; name: string }[];
  const ids = Object.fromEntries(rows.map((r) => [r.name, r.id]));
  return {
    ...base,
    media,
    admin,
    ids,
    traffic,
    close: async () => {
      await base.close();
      fs.rmSync(media, { recursive: true, force: true });
    },
  };
}

test.use({ demoLibrary: false });
test.beforeAll(async () => {
  server = await startSeriesServer();
});
test.afterAll(async () => {
  await server?.close();
});

test('an UnwatchedOnly episode watched offline leaves the device on the next sync and the next unwatched one arrives', async ({
  persistentContext: context,
}) => {
  test.setTimeout(60_000);
  const page = context.pages()[0] ?? (await context.newPage());
  const [ep1, ep2, ep3] = EPISODES.map((name) => server.ids[name]!);
  expect([ep1, ep2, ep3].every(Boolean)).toBe(true);
  const userItem = (itemId: string) => server.admin.json('GET', `/Users/${server.admin.userId}/Items/${itemId}`);
  const localItems = () => idbAll(page, 'items');
  const localOf = async (itemId: string) => (await localItems()).find((i) => i.ItemId === itemId);
  const statusByItem = async (jobId: string): Promise<Record<string, string>> =>
    Object.fromEntries(
      ((await server.admin.json('GET', `/Sync/JobItems?JobId=${jobId}`)).Items as Array<{ ItemId: string; Status: string }>).map((i) => [
        i.ItemId,
        i.Status,
      ]),
    );
  // The page relays the server's pushes into foreground runs, so an item may pass ReadyToTransfer unseen.
  const readyOrBeyond = (jobId: string, itemId: string) =>
    expect
      .poll(async () => (await statusByItem(jobId))[itemId] ?? 'not yet', { timeout: 20_000 })
      .toMatch(/^(ReadyToTransfer|Transferring|Synced)$/);

  const sw = await SwDevtools.attach(context, page, server.url);
  const deviceId = await signInAndWaitForWorker(page, server);
  await messageWorker(page, { type: 'test-config', settings: { chunkSize: CHUNK } });

  const { jobId } = await createJob(server, deviceId, SERIES, { UnwatchedOnly: true, ItemLimit: 2 });
  // The window holds the first two unwatched episodes; the third waits for a free slot.
  const created = (await server.admin.json('GET', `/Sync/JobItems?JobId=${jobId}`)).Items as Array<{ Id: string; ItemId: string }>;
  expect(created.map((i) => i.ItemId).sort()).toEqual([ep1, ep2].sort());
  await readyOrBeyond(jobId, ep1);
  await readyOrBeyond(jobId, ep2);

  await sw.dispatchSync();
  for (const ji of created) await waitForStatus(server, jobId, ji.Id, 'Synced', 20_000);
  await expect
    .poll(async () => (await localItems()).map((i) => `${i.ItemId}:${i.step}`).sort())
    .toEqual([`${ep1}:synced`, `${ep2}:synced`].sort());
  const first = (await localOf(ep1))!;
  const second = (await localOf(ep2))!;
  const chunksOf = async (fileId: string) => (await idbAll(page, 'chunks')).filter((c) => c.fileId === fileId).length;
  expect(await chunksOf(first.FileId)).toBe(Math.ceil(first.size / CHUNK));
  expect(await chunksOf(first.FileId)).toBeGreaterThan(1);
  const secondChunks = await chunksOf(second.FileId);
  expect((await userItem(ep1)).UserData?.Played ?? false).toBe(false);

  // No network from here on: the app comes from the precache, the episode from IndexedDB chunks.
  await context.setOffline(true);
  await page.goto(`${server.url}/on-device`);
  const row = (name: string) => page.locator(`[data-testid="offline-item"][data-name="${name}"]`);
  await expect(row(EPISODES[0])).toHaveAttribute('data-step', 'synced');
  await row(EPISODES[0]).getByRole('link', { name: EPISODES[0] }).click();
  const video = page.getByTestId('media-player').locator('video');
  await expect(video).toBeVisible();
  await video.evaluate(async (el: HTMLVideoElement) => {
    el.muted = true;
    await el.play();
  });
  await expect.poll(() => video.evaluate((el: HTMLVideoElement) => el.ended), { timeout: 15_000 }).toBe(true);
  // Played to the end: one action, with no position, which the server counts as a full play.
  await expect.poll(async () => (await idbAll(page, 'outbox')).map((a) => a.PositionTicks ?? 'end')).toEqual(['end']);
  const [action] = await idbAll(page, 'outbox');
  expect(action).toMatchObject({ Type: 'PlayedItem', ItemId: ep1, UserId: server.admin.userId });
  await page.getByRole('link', { name: '← On this device' }).click();
  await expect(page.getByTestId('outbox-count')).toContainText('1 offline play');
  await expect(row(EPISODES[0])).toHaveCount(1);

  // Network back. The first run sends the play and drops episode 1 (Sync/Data says "Watched"); its closing
  // Sync/Data frees the slot, so episode 3 is queued on the server and fetched by the next run, as a real
  // client's next wake-up would.
  await context.setOffline(false);
  await sw.dispatchSync();
  await expect.poll(async () => (await userItem(ep1)).UserData?.Played, { timeout: 20_000 }).toBe(true);
  await expect.poll(async () => (await localOf(ep1))?.step ?? 'gone', { timeout: 20_000 }).toBe('gone');
  expect(await chunksOf(first.FileId)).toBe(0);
  await readyOrBeyond(jobId, ep3);
  await sw.dispatchSync();
  await expect.poll(async () => (await localOf(ep3))?.step ?? 'absent', { timeout: 20_000 }).toBe('synced');
  await expect
    .poll(() => statusByItem(jobId), { timeout: 20_000 })
    .toEqual({
      [ep1]: 'RemovedFromDevice',
      [ep2]: 'Synced',
      [ep3]: 'Synced',
    });

  const third = (await localOf(ep3))!;
  expect(await chunksOf(third.FileId)).toBe(Math.ceil(third.size / CHUNK));
  expect(await localOf(ep2)).toMatchObject({ step: 'synced', SyncJobItemId: second.SyncJobItemId, bytes: second.size });
  expect(await chunksOf(second.FileId)).toBe(secondChunks);
  expect(await idbAll(page, 'outbox')).toEqual([]);
  // The play was counted once, though it crossed the network and several runs.
  expect((await userItem(ep1)).UserData?.PlayCount).toBe(1);
  expect((await userItem(ep2)).UserData?.Played ?? false).toBe(false);

  await page.goto(`${server.url}/on-device`);
  await expect(row(EPISODES[0])).toHaveCount(0);
  await expect(row(EPISODES[1])).toHaveAttribute('data-step', 'synced');
  await expect(row(EPISODES[2])).toHaveAttribute('data-step', 'synced');
  await expect(page.getByTestId('outbox-count')).toHaveCount(0);
  await snapshot(page, '28-unwatched-rotation');
  await server.admin.json('DELETE', `/Sync/Jobs/${jobId}`);
});
