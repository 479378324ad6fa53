/**
 * Online playback in real Chromium, like a person: press Play on a movie, watch it direct-play, seek, stop,
 * and see the resume point on the server; open an H.264/AC3 MKV — which Chromium can't play as is — and
 * watch it through hls.js from a server remux, seek far, switch subtitles on, stop, and see the encoder go.
 *
 * Its own server and media (not the demo library): Resume needs a film of at least 5 minutes (API.md
 * §5.12), and the clips are made here in seconds at a tiny frame size.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { makeClip, tempDir } from '../helpers/media';
import { signIn, startTestServer, type Session, type TestServer } from '../helpers/server';
import { ensureAdministrator } from '../../src/server/system/firstRun';
import { ADMIN_PASSWORD, ADMIN_USER, APP_DIR, expect, signInThroughPage, snapshot, test, type StowawayServer } from './fixtures';

test.use({ demoLibrary: false });

let server: TestServer;
let media: string;
let api: Session;
let ids: Record<string, string>;

test.beforeAll(async () => {
  media = tempDir('stowaway-e2e-playback-');
  const movies = path.join(media, 'Movies');
  fs.mkdirSync(movies, { recursive: true });
  await Promise.all([
    makeClip(movies, 'Long Movie (2020).mp4', { seconds: 360, size: '160x90' }),
    makeClip(movies, 'Surround Movie (2021).mkv', { seconds: 30, acodec: 'ac3', subtitles: 'srt', subtitleLanguage: 'eng' }),
  ]);
  server = await startTestServer({ appDir: APP_DIR, mediaDirs: [media], adminUser: ADMIN_USER, adminPassword: ADMIN_PASSWORD });
  await ensureAdministrator(server.built.deps);
  await server.built.deps.library.scanner.scan();
  api = await signIn(server.url, ADMIN_USER, ADMIN_PASSWORD, 'e2e-api');
  const rows = server.built.deps.db.prepare('SELECT id, name FROM items').all() as { id: string; name: string }[];
  ids = Object.fromEntries(rows.map((r) => [r.name, r.id]));
});

test.afterAll(async () => {
  await server?.close();
  if (media) fs.rmSync(media, { recursive: true, force: true });
});

const asServer = (): StowawayServer => ({ ...server, user: ADMIN_USER, password: ADMIN_PASSWORD });
const videoTime = (page: Page) => page.locator('video').evaluate((v) => (v as HTMLVideoElement).currentTime);

test('direct-plays a movie, seeks, stops, and the server keeps the resume point', async ({ page }) => {
  await signInThroughPage(page, asServer());
  await expect(page.getByRole('link', { name: 'Stowaway home' })).toBeVisible();
  await page.goto(`${server.url}/item/${ids['Long Movie']}`);
  await page.getByTestId('play').click();
  await expect(page).toHaveURL(new RegExp(`/play/${ids['Long Movie']}\\?start=0$`));
  await expect(page.getByTestId('play-method')).toHaveText('Direct play');
  await expect(page.locator('.media-player')).toHaveAttribute('data-engine', 'file');
  await expect.poll(() => videoTime(page), { timeout: 20_000 }).toBeGreaterThan(0.5);

  // Seek as a person would with the keyboard, then far ahead.
  await page.locator('.player-title').click();
  const before = await videoTime(page);
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => videoTime(page)).toBeGreaterThan(before + 9);
  await page.locator('video').evaluate((v) => ((v as HTMLVideoElement).currentTime = 120));
  await expect.poll(() => videoTime(page), { timeout: 15_000 }).toBeGreaterThan(120.5);
  await snapshot(page, '30-player-direct');

  await page.getByRole('button', { name: /Stop/ }).click();
  await expect(page).toHaveURL(new RegExp(`/item/${ids['Long Movie']}$`));
  const item = await api.json<{ UserData: { PlaybackPositionTicks: number; Played: boolean } }>(
    'GET',
    `/Users/${api.userId}/Items/${ids['Long Movie']}`,
  );
  expect(item.UserData.Played).toBe(false);
  expect(item.UserData.PlaybackPositionTicks / 1e7).toBeGreaterThan(120);
  expect(item.UserData.PlaybackPositionTicks / 1e7).toBeLessThan(140);
  const resume = await api.json<{ Items: { Id: string }[] }>('GET', `/Users/${api.userId}/Items/Resume`);
  expect(resume.Items.map((i) => i.Id)).toContain(ids['Long Movie']);

  // Back on the item, Play offers to resume where we stopped — asked there, once: the player asks nothing more.
  await page.reload();
  await expect(page.getByTestId('play')).toHaveText(/Resume from 2:/);
  await page.getByTestId('play').click();
  await expect(page.getByRole('dialog', { name: 'Resume' })).toHaveCount(0);
  await expect.poll(() => videoTime(page), { timeout: 20_000 }).toBeGreaterThan(120);
  await page.getByRole('button', { name: /Stop/ }).click();
});

test('plays H.264/AC3 in MKV through hls.js, seeks far, shows subtitles and stops the encoder', async ({ page }) => {
  await signInThroughPage(page, asServer());
  await expect(page.getByRole('link', { name: 'Stowaway home' })).toBeVisible();
  await page.goto(`${server.url}/play/${ids['Surround Movie']}`);
  await expect(page.getByTestId('play-method')).toHaveText(/Remux|Transcode/);
  await expect(page.locator('.media-player')).toHaveAttribute('data-engine', 'hls.js');
  await expect.poll(() => videoTime(page), { timeout: 30_000 }).toBeGreaterThan(0.5);
  expect(server.built.deps.playback.active()).toHaveLength(1);

  // A far seek: the player asks for a late segment straight away and playback goes on from there.
  await page.locator('video').evaluate((v) => ((v as HTMLVideoElement).currentTime = 24));
  await expect.poll(() => videoTime(page), { timeout: 20_000 }).toBeGreaterThan(24.5);

  // Subtitles on: the WebVTT track shows and has its cue (the embedded SRT, extracted on demand).
  // Named as the offline player names it (one labelling function): "English", not "ENG".
  await page.getByLabel('Subtitles').selectOption({ label: 'English' });
  await expect
    .poll(
      () =>
        page.locator('video').evaluate((v) => {
          const t = Array.from((v as HTMLVideoElement).textTracks).find((x) => x.mode === 'showing');
          return t?.cues?.[0] ? (t.cues[0] as VTTCue).text : null;
        }),
      { timeout: 15_000 },
    )
    .toBe('An embedded line of dialogue.');
  await snapshot(page, '31-player-hls');

  await page.getByRole('button', { name: /Stop/ }).click();
  await expect(page).toHaveURL(new RegExp(`/item/${ids['Surround Movie']}$`));
  await expect.poll(() => server.built.deps.playback.active().length, { timeout: 10_000 }).toBe(0);
  const item = await api.json<{ UserData: { Played: boolean } }>('GET', `/Users/${api.userId}/Items/${ids['Surround Movie']}`);
  // A 30-second clip is too short to resume (under 5 minutes): stopping counts it as played.
  expect(item.UserData.Played).toBe(true);
});

test('shows a clear error instead of a spinner for an item that is gone', async ({ page }) => {
  await signInThroughPage(page, asServer());
  await expect(page.getByRole('link', { name: 'Stowaway home' })).toBeVisible();
  await page.goto(`${server.url}/play/0123456789abcdef0123456789abcdef`);
  await expect(page.getByRole('alert')).toContainText(/not found/i);
});
