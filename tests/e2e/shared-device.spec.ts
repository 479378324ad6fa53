/**
 * One browser, two users of one server: POST /Sync/Data carries both as OfflineUserIds and the answer's
 * ItemUserAccess decides who sees which downloaded item — the parent's private film (a camera upload,
 * private to its owner) and a library movie (the child may see TV Shows only: UserPolicy.EnabledFolders)
 * never show in the child's offline library. Then, with no network, the child signs in again from the
 * salted verifier kept at the online sign-in (no password stored).
 */
import fs from 'node:fs';
import path from 'node:path';
import { makeClip } from '../helpers/media';
import { createUser, signIn } from '../helpers/server';
import { ADMIN_USER, expect, test } from './fixtures';
import {
  idbAll,
  messageWorker,
  signInAndWaitForWorker,
  startSwServer,
  SwDevtools,
  waitForStatus,
  waitUntilReady,
  type SwServer,
} from './sw-support';

let server: SwServer;
test.use({ demoLibrary: false });
test.beforeAll(async () => {
  server = await startSwServer();
});
test.afterAll(async () => {
  await server?.close();
});

const host = () => new URL(server.url).host;

test('each user sees only the downloads the server allows them, and the child signs in offline', async ({ persistentContext: context }) => {
  const kid = await createUser(server.url, server.admin, 'kid', 'kid-secret');
  // The parent's own film: a camera upload, so the library keeps it private to its owner.
  const film = fs.readFileSync(path.join(server.media, 'Movies', 'Short Hop (2021).mp4'));
  const up = await server.admin.req('POST', `/Devices/CameraUploads?DeviceId=${server.admin.deviceId}&Name=family-film.mp4`, undefined, {});
  expect(up.status).toBe(415); // an empty body is no video
  const stored = await fetch(`${server.url}/Devices/CameraUploads?DeviceId=${server.admin.deviceId}&Name=family-film.mp4&Album=Home`, {
    method: 'POST',
    headers: {
      'x-emby-token': server.admin.token,
      'content-type': 'video/mp4',
    },
    body: new Uint8Array(film),
  });
  expect(stored.status).toBe(204);
  // A TV Shows library beside Movies: the child may see that one only.
  await makeClip(path.join(server.media, 'Shows', 'Tiny Show', 'Season 01'), 'Tiny Show - S01E01 - Hello.mp4', { seconds: 1 });
  await server.built.deps.library.scanner.scan();
  const idOf = (name: string) => (server.built.deps.db.prepare(`SELECT id FROM items WHERE name = ?`).get(name) as { id: string }).id;
  const filmId = idOf('family-film');
  const episodeId = idOf('Hello');
  const limited = await server.admin.req('POST', `/Users/${kid.userId}/Policy`, {
    EnableAllFolders: false,
    EnabledFolders: [idOf('TV Shows')],
  });
  expect(limited.status).toBe(204);

  const page = context.pages()[0] ?? (await context.newPage());
  const sw = await SwDevtools.attach(context, page, server.url);
  const deviceId = await signInAndWaitForWorker(page, server);
  await messageWorker(page, {
    type: 'test-config',
    settings: { chunkSize: 256 * 1024 },
  });

  // The child signs in on the same browser.
  await page.getByTestId('server-switcher').selectOption({ label: 'Add a server…' });
  await page.getByLabel('User name').fill('kid');
  await page.getByLabel('Password').fill('kid-secret');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('server-switcher')).toContainText(`kid @ ${host()}`);
  await expect.poll(async () => (await idbAll(page, 'servers')).length).toBe(2);
  await expect.poll(async () => (await idbAll(page, 'credentials')).map((c) => c.userName).sort()).toEqual([ADMIN_USER, 'kid']);
  const creds = await idbAll(page, 'credentials');
  expect(JSON.stringify(creds)).not.toContain('kid-secret');

  // The parent syncs their film and a library movie; the child an episode (a movie is not theirs to sync).
  const parentJob = await server.admin.json('POST', '/Sync/Jobs', {
    TargetId: deviceId,
    ItemIds: [filmId, server.ids['Short Hop']],
    Quality: 'original',
  });
  const kidSession = await signIn(server.url, 'kid', 'kid-secret', 'kid-node');
  const refused = await kidSession.req('POST', '/Sync/Jobs', {
    TargetId: deviceId,
    ItemIds: [server.ids['Short Hop']],
    Quality: 'original',
  });
  expect(refused.status).toBe(400);
  const kidJob = await kidSession.json('POST', '/Sync/Jobs', {
    TargetId: deviceId,
    ItemIds: [episodeId],
    Quality: 'original',
  });
  expect(kid.userId).toBe(kidSession.userId);
  const jobItems = [
    ...parentJob.JobItems.map((ji: { Id: string }) => [parentJob.Job.Id, ji.Id]),
    [kidJob.Job.Id, kidJob.JobItems[0].Id],
  ] as Array<[string, string]>;
  // The page is open, so a push may start the downloads before the Background Sync below.
  for (const [job, item] of jobItems) await waitUntilReady(server, job, item);
  await sw.dispatchSync();
  for (const [job, item] of jobItems) {
    await waitForStatus(server, job, item, 'Synced');
  }
  const access = async () =>
    Object.fromEntries(
      (await idbAll(page, 'items'))
        .filter((i) => [filmId, server.ids['Short Hop'], episodeId].includes(i.ItemId))
        .map((i) => [i.ItemId, i.UserIdsWithAccess]),
    );
  await expect.poll(access).toEqual({
    [filmId]: [server.admin.userId],
    [server.ids['Short Hop']]: [server.admin.userId],
    [episodeId]: [server.admin.userId, kid.userId].sort(),
  });

  const names = async () =>
    (await page.getByTestId('offline-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-name')))).sort();
  // Child (the active session): neither the parent's film nor the movie, only the episode.
  await page.goto(`${server.url}/on-device`);
  await expect(page.getByTestId('offline-item')).toHaveCount(1);
  expect(await names()).toEqual(['Hello']);
  // Parent: their film, the movie, and the episode the child synced.
  await page.getByTestId('server-switcher').selectOption({ label: `${ADMIN_USER} @ ${host()}` });
  await page.goto(`${server.url}/on-device`);
  await expect(page.getByTestId('offline-item')).toHaveCount(3);
  expect(await names()).toEqual(['Hello', 'Short Hop', 'family-film']);

  // The child signed out; with no network, signs in again from the verifier and sees their items only.
  await page.getByTestId('server-switcher').selectOption({ label: `kid @ ${host()}` });
  await page.getByRole('button', { name: 'Sign out' }).click();
  await context.setOffline(true);
  await page.goto(`${server.url}/signin?add=1`);
  await page.getByLabel('User name').fill('kid');
  await page.getByLabel('Password').fill('wrong');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('signin-error')).toContainText('does not match');
  await page.getByLabel('Password').fill('kid-secret');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/on-device$/);
  await expect(page.getByTestId('offline-item')).toHaveCount(1);
  expect(await names()).toEqual(['Hello']);
  await context.setOffline(false);
});
