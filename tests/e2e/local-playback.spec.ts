/**
 * Playing the copy on this device while online (issue 15, item 7): once a film is downloaded, its page
 * says "Playing the copy on this device", Resume plays it from the device — no PlaybackInfo, no stream,
 * no transcode on the server — from the server's resume point, with the subtitle named as online
 * ("English"); and the position where it stopped goes back to the server as the new resume point.
 */
import fs from 'node:fs';
import path from 'node:path';
import { makeClip, makeSrt, tempDir } from '../helpers/media';
import { ADMIN_PASSWORD, ADMIN_USER, expect, snapshot, test } from './fixtures';
import { downloadToDevice, signIn, withPhoneProfile } from './phone';
import { RestartableServer } from './restartableServer';

test.use({ demoLibrary: false });

let media: string;
let server: RestartableServer;

test.beforeAll(async () => {
  media = tempDir('stowaway-e2e-local-playback-');
  const movies = path.join(media, 'Movies');
  fs.mkdirSync(movies, { recursive: true });
  // Over 5 minutes so the server keeps a resume point (API.md §5.12); tiny frames keep the download small.
  await makeClip(movies, 'Long Road (2020).mp4', { seconds: 330, size: '160x90' });
  makeSrt(movies, 'Long Road (2020).en.srt', 'Words on a long road.');
  server = new RestartableServer([media]);
  await server.start();
});

test.afterAll(async () => {
  await server?.close();
  if (media) fs.rmSync(media, { recursive: true, force: true });
});

test('a downloaded film plays from the device even online, from the server’s resume point, and its stop goes back', async () => {
  await withPhoneProfile(async (_context, page) => {
    const id = server.ids['Long Road']!;
    await signIn(page, server.url, ADMIN_USER, ADMIN_PASSWORD);
    await downloadToDevice(page, server, 'Long Road');
    await server.admin.json('POST', '/Sessions/Playing/Stopped', { ItemId: id, PositionTicks: 120 * 1e7 });

    await page.goto(`${server.url}/item/${id}`);
    await expect(page.getByTestId('local-copy-note')).toContainText('Playing the copy on this device');
    await expect(page.getByTestId('play')).toHaveText(/Resume from 2:00/);
    await snapshot(page, 'local-copy-item-page');

    const before = server.requests.length;
    await page.getByTestId('play').tap();
    await expect(page).toHaveURL(/\/on-device\/play\/[^/?]+\?start=120$/);
    await expect(page.getByTestId('play-method')).toHaveText('Playing the copy on this device');
    const video = page.locator('video');
    await expect.poll(() => video.evaluate((v) => new URL((v as HTMLVideoElement).currentSrc).pathname)).toMatch(/^\/offline\/media\//);
    await expect.poll(() => video.evaluate((v) => (v as HTMLVideoElement).currentTime), { timeout: 20_000 }).toBeGreaterThan(120.3);
    // Not a byte of media from the server: no PlaybackInfo, stream, HLS or download request.
    const media = server.requests.slice(before).filter((r) => /PlaybackInfo|\/Videos\/|\/Audio\/|\.m3u8|\/Download|\/File(\?|$)/i.test(r));
    expect(media).toEqual([]);
    await snapshot(page, 'local-copy-player');

    // The subtitle has the name the online player gives it.
    await page.evaluate(() => document.fullscreenElement && document.exitFullscreen());
    await expect(page.getByLabel('Subtitles').locator('option')).toHaveText(['Off', 'English']);

    // Stop at about 2:10: the server's resume point follows (through the offline-actions outbox, sent at once online).
    await video.evaluate(async (v) => {
      const el = v as HTMLVideoElement;
      el.currentTime = 130;
      await new Promise((r) => el.addEventListener('seeked', r, { once: true }));
      el.pause();
    });
    await expect
      .poll(
        async () =>
          ((await server.admin.json('GET', `/Users/${server.admin.userId}/Items/${id}`)) as { UserData: { PlaybackPositionTicks: number } })
            .UserData.PlaybackPositionTicks / 1e7,
        { timeout: 20_000 },
      )
      .toBeGreaterThan(125);
  });
});
