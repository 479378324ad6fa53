/**
 * The player on a phone (issue 15, item 8): the item page asks once — *Resume from 2:00* or *Play from
 * start* — and the player asks nothing more; a tap on Resume opens it full screen and asks for landscape;
 * large touch controls replace the browser's, with no keyboard hints; a double tap on a side seeks 10 s and
 * a sideways swipe scrubs; subtitles carry the language's name ("English", as offline). At desktop size
 * the browser's controls and the keyboard hints stay.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { ensureAdministrator } from '../../src/server/system/firstRun';
import { makeClip, tempDir } from '../helpers/media';
import { signIn as apiSignIn, startTestServer, type Session, type TestServer } from '../helpers/server';
import { ADMIN_PASSWORD, ADMIN_USER, APP_DIR, expect, snapshot, test } from './fixtures';
import { DESKTOP, PHONE, signIn } from './phone';

test.use({ demoLibrary: false });

let server: TestServer;
let media: string;
let api: Session;
let movieId: string;

test.beforeAll(async () => {
  media = tempDir('stowaway-e2e-touch-player-');
  const movies = path.join(media, 'Movies');
  fs.mkdirSync(movies, { recursive: true });
  // Over 5 minutes, so a stop in the middle keeps a resume point (API.md §5.12); English subtitles inside.
  await makeClip(movies, 'Long Road (2020).mp4', { seconds: 330, size: '160x90', subtitles: 'mov_text', subtitleLanguage: 'eng' });
  server = await startTestServer({ appDir: APP_DIR, mediaDirs: [media], adminUser: ADMIN_USER, adminPassword: ADMIN_PASSWORD });
  await ensureAdministrator(server.built.deps);
  await server.built.deps.library.scanner.scan();
  api = await apiSignIn(server.url, ADMIN_USER, ADMIN_PASSWORD, 'e2e-touch-api');
  movieId = (server.built.deps.db.prepare("SELECT id FROM items WHERE name = 'Long Road'").get() as { id: string }).id;
});

test.afterAll(async () => {
  await server?.close();
  if (media) fs.rmSync(media, { recursive: true, force: true });
});

const videoTime = (page: Page) => page.locator('video').evaluate((v) => (v as HTMLVideoElement).currentTime);

/** A finger moving across the layer, as Chromium's DevTools protocol delivers it. */
async function swipe(page: Page, from: { x: number; y: number }, to: { x: number; y: number }): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [from] });
  for (let i = 1; i <= 8; i++) {
    const x = from.x + ((to.x - from.x) * i) / 8;
    const y = from.y + ((to.y - from.y) * i) / 8;
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x, y }] });
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await cdp.detach();
}

test('a phone plays full screen with touch controls: resume chosen once, double-tap and swipe seek, readable labels', async ({
  browser,
}) => {
  await api.json('POST', '/Sessions/Playing/Stopped', { ItemId: movieId, PositionTicks: 120 * 1e7 });
  const context = await browser.newContext(PHONE);
  // Headless Chromium has no screen to turn: record what the player asks for instead.
  await context.addInitScript(() => {
    const w = window as unknown as { lockedTo?: string };
    Object.defineProperty(screen.orientation, 'lock', {
      configurable: true,
      value: (o: string) => {
        w.lockedTo = o;
        return Promise.resolve();
      },
    });
  });
  const page = await context.newPage();
  await signIn(page, server.url, ADMIN_USER, ADMIN_PASSWORD);
  await page.goto(`${server.url}/item/${movieId}`);
  await expect(page.getByTestId('play')).toHaveText(/Resume from 2:00/);
  await expect(page.getByTestId('play-from-start')).toBeVisible();
  await snapshot(page, 'touch-item-page');

  // A dialog closed with Esc gives the focus back to what opened it.
  await page.getByTestId('sync-button').click();
  await expect(page.getByTestId('sync-dialog')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('sync-dialog')).toHaveCount(0);
  await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('sync-button');

  await page.getByTestId('play').tap();
  await expect(page).toHaveURL(new RegExp(`/play/${movieId}\\?start=120$`));
  // Resume was chosen on the item page: no second question here.
  await expect(page.getByRole('dialog', { name: 'Resume' })).toHaveCount(0);
  await expect.poll(() => videoTime(page), { timeout: 20_000 }).toBeGreaterThan(120);
  await expect.poll(() => page.evaluate(() => document.fullscreenElement?.getAttribute('data-testid') ?? null)).toBe('media-player');
  await expect.poll(() => page.evaluate(() => (window as unknown as { lockedTo?: string }).lockedTo ?? null)).toBe('landscape');

  // Large touch controls instead of the browser's; no keyboard hints on a touch screen.
  expect(await page.locator('video').evaluate((v) => (v as HTMLVideoElement).controls)).toBe(false);
  const play = page.getByTestId('touch-play');
  await expect(play).toBeVisible();
  const size = await play.boundingBox();
  expect(size!.width).toBeGreaterThanOrEqual(56);
  await expect(page.locator('.shortcuts')).toHaveCount(0);
  await snapshot(page, 'touch-player-fullscreen');

  // While it plays the controls step aside after a few seconds; a pause (the phone's media keys) brings them back.
  const controls = page.getByTestId('touch-controls');
  await expect(controls).toBeHidden({ timeout: 15_000 });
  await page.locator('video').evaluate((v) => (v as HTMLVideoElement).pause());
  await expect(controls).toBeVisible();
  await expect(play).toHaveAttribute('aria-label', 'Play');
  // A tap on the video hides them, another shows them; the big button plays and pauses.
  const box = await page.getByTestId('touch-layer').boundingBox();
  const centre = { x: box!.x + box!.width / 2, y: box!.y + box!.height * 0.2 };
  await page.touchscreen.tap(centre.x, centre.y);
  await expect(controls).toBeHidden();
  await page.touchscreen.tap(centre.x, centre.y);
  await expect(controls).toBeVisible();
  await play.tap();
  await expect(play).toHaveAttribute('aria-label', 'Pause');
  await play.tap();
  await expect.poll(() => page.locator('video').evaluate((v) => (v as HTMLVideoElement).paused)).toBe(true);
  // Paused, for exact numbers: seek by gestures on the video, away from the buttons.
  const layer = await page.getByTestId('touch-layer').boundingBox();
  const at = (fx: number, fy: number) => ({ x: layer!.x + layer!.width * fx, y: layer!.y + layer!.height * fy });
  const start = await videoTime(page);

  const right = at(0.85, 0.2);
  await page.touchscreen.tap(right.x, right.y);
  await page.touchscreen.tap(right.x, right.y);
  await expect(page.getByTestId('seek-feedback')).toHaveText('+10 s');
  await expect.poll(() => videoTime(page)).toBeCloseTo(start + 10, 0);

  const left = at(0.15, 0.2);
  await page.touchscreen.tap(left.x, left.y);
  await page.touchscreen.tap(left.x, left.y);
  await expect.poll(() => videoTime(page)).toBeCloseTo(start, 0);

  // Half the width to the right: half of 90 s.
  await swipe(page, at(0.25, 0.2), at(0.75, 0.2));
  await expect.poll(() => videoTime(page)).toBeCloseTo(start + 45, 0);

  // Leave full screen to reach the options under the player: the subtitle is named, not coded.
  await page.evaluate(() => document.exitFullscreen());
  await expect(page.getByLabel('Subtitles').locator('option')).toHaveText(['Off', 'English']);
  await context.close();
});

test('at desktop size the browser controls and keyboard hints stay, and nothing goes full screen on its own', async ({ browser }) => {
  await api.json('POST', '/Sessions/Playing/Stopped', { ItemId: movieId, PositionTicks: 120 * 1e7 });
  const context = await browser.newContext(DESKTOP);
  const page = await context.newPage();
  await signIn(page, server.url, ADMIN_USER, ADMIN_PASSWORD);
  await page.goto(`${server.url}/item/${movieId}`);
  await page.getByTestId('play-from-start').click();
  await expect(page).toHaveURL(new RegExp(`/play/${movieId}\\?start=0$`));
  await expect.poll(() => videoTime(page), { timeout: 20_000 }).toBeGreaterThan(0.2);
  expect(await videoTime(page)).toBeLessThan(60);
  expect(await page.locator('video').evaluate((v) => (v as HTMLVideoElement).controls)).toBe(true);
  await expect(page.locator('.shortcuts')).toBeVisible();
  await expect(page.getByTestId('touch-layer')).toHaveCount(0);
  expect(await page.evaluate(() => document.fullscreenElement)).toBeNull();
  await context.close();
});
