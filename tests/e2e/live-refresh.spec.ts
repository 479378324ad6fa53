/**
 * Views stay current without a reload: after a play stops, Home's Next Up and Continue watching rows
 * update in place (the old rows stay until the new ones arrive — no skeleton, no jump), and after the sync
 * dialog creates a job the detail page's sync label appears.
 *
 * The Stopped report is held back until Home has loaded, so the test sees Home change while it is on
 * screen rather than Home simply loading after the stop. Its own server and media: Resume needs a film of
 * at least 5 minutes (API.md §5.12), made here in seconds at a tiny frame size.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page, Route } from '@playwright/test';
import { makeClip, tempDir } from '../helpers/media';
import { signIn, startTestServer, type Session, type TestServer } from '../helpers/server';
import { ensureAdministrator } from '../../src/server/system/firstRun';
import { ADMIN_PASSWORD, ADMIN_USER, APP_DIR, expect, signInThroughPage, snapshot, test } from './fixtures';
import { waitForSyncTarget, pageSession } from './syncUi';

test.use({ demoLibrary: false });

let server: TestServer;
let media: string;
let api: Session;
let ids: Record<string, string>;

test.beforeAll(async () => {
  media = tempDir('stowaway-e2e-live-');
  const movies = path.join(media, 'Movies');
  const season = path.join(media, 'Shows', 'Test Show', 'Season 01');
  fs.mkdirSync(movies, { recursive: true });
  fs.mkdirSync(season, { recursive: true });
  await Promise.all([
    makeClip(movies, 'Long Movie (2020).mp4', { seconds: 360, size: '160x90' }),
    makeClip(season, 'Test Show - S01E01 - Pilot.mp4', { seconds: 20, size: '160x90' }),
    makeClip(season, 'Test Show - S01E02 - Second.mp4', { seconds: 20, size: '160x90' }),
    makeClip(season, 'Test Show - S01E03 - Third.mp4', { seconds: 20, size: '160x90' }),
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

const signInHere = (page: Page) => signInThroughPage(page, { ...server, user: ADMIN_USER, password: ADMIN_PASSWORD });
const video = (page: Page) => page.getByTestId('media-player').locator('video');
const videoTime = (page: Page) => video(page).evaluate((v) => (v as HTMLVideoElement).currentTime);

/**
 * Holds every progress and Stopped report until `release()` (then sends them in order): the page goes on,
 * the server hears of the position later. `held` resolves once the Stopped report was made.
 */
async function holdReports(page: Page): Promise<{ held: Promise<void>; release: () => Promise<void> }> {
  const PATTERN = /\/Sessions\/Playing\/(Progress|Stopped)$/;
  const routes: Route[] = [];
  let stopped!: () => void;
  const held = new Promise<void>((resolve) => (stopped = resolve));
  await page.route(PATTERN, (route) => {
    routes.push(route);
    if (route.request().url().endsWith('/Stopped')) stopped();
  });
  return {
    held,
    release: async () => {
      for (const r of routes) await r.continue();
      await page.unroute(PATTERN);
    },
  };
}

/** Plays `id`, jumps to `seconds` and pauses there, then leaves for Home by the header link (no reload). */
async function watchUntilThenGoHome(page: Page, id: string, seconds: number): Promise<{ release: () => Promise<void> }> {
  await page.goto(`${server.url}/play/${id}`);
  await expect(page.getByTestId('media-player')).toHaveAttribute('data-engine', 'file');
  // Autoplay without a gesture may be refused: press play the way the sw-offline spec does.
  await video(page).evaluate(async (v) => {
    const el = v as HTMLVideoElement;
    el.muted = true;
    if (el.paused) await el.play();
  });
  await expect.poll(() => videoTime(page), { timeout: 20_000 }).toBeGreaterThan(0.3);
  const reports = await holdReports(page);
  await video(page).evaluate(async (v, to) => {
    const el = v as HTMLVideoElement;
    el.pause();
    el.currentTime = to;
    await new Promise((r) => el.addEventListener('seeked', r, { once: true }));
  }, seconds);
  // A marker that a full page load would wipe.
  await page.evaluate(() => ((window as unknown as { liveMarker: number }).liveMarker = 1));
  await page.getByRole('link', { name: 'Stowaway home' }).click();
  await reports.held;
  // Home is on screen with the rows as they were before the stop.
  await expect(page.locator('.home-row[data-category="Latest"]')).toHaveCount(2);
  await expect(page.locator('.home-row-skeleton')).toHaveCount(0);
  // From here, a skeleton replacing the rows would be a layout jump.
  await page.evaluate(() => {
    const w = window as unknown as { skeletonSeen: boolean };
    w.skeletonSeen = false;
    new MutationObserver(() => {
      if (document.querySelector('.home-row-skeleton')) w.skeletonSeen = true;
    }).observe(document.body, { childList: true, subtree: true });
  });
  return reports;
}

async function expectNoReloadNorSkeleton(page: Page): Promise<void> {
  const state = await page.evaluate(() => {
    const w = window as unknown as { liveMarker?: number; skeletonSeen?: boolean };
    return { marker: w.liveMarker, skeleton: w.skeletonSeen };
  });
  expect(state).toEqual({ marker: 1, skeleton: false });
}

test('Next Up and Continue watching update on Home after a stop, without a reload', async ({ page }) => {
  await signInHere(page);
  await expect(page.getByRole('link', { name: 'Stowaway home' })).toBeVisible();
  const nextUp = page.locator('.home-row[data-category="NextUp"]');
  const resume = page.locator('.home-row[data-category="Resume"]');

  // An episode watched past 90 %: when the stop lands, Next Up shows the one after it.
  const first = await watchUntilThenGoHome(page, ids['Pilot']!, 19);
  await expect(nextUp).toHaveCount(0);
  await first.release();
  await expect(nextUp.getByRole('link', { name: /Second/ })).toBeVisible({ timeout: 10_000 });
  await expectNoReloadNorSkeleton(page);

  // A long film stopped mid-way: Continue watching appears with it.
  const second = await watchUntilThenGoHome(page, ids['Long Movie']!, 120);
  await expect(resume).toHaveCount(0);
  await second.release();
  await expect(resume.getByRole('link', { name: /Long Movie/ })).toBeVisible({ timeout: 10_000 });
  await expectNoReloadNorSkeleton(page);
  await snapshot(page, '40-home-after-playback');

  const item = await api.json<{ UserData: { PlaybackPositionTicks: number } }>('GET', `/Users/${api.userId}/Items/${ids['Long Movie']}`);
  expect(item.UserData.PlaybackPositionTicks / 1e7).toBeGreaterThan(115);
});

test('the detail page shows the sync state as soon as the dialog created a job', async ({ page }) => {
  await signInHere(page);
  await expect(page.getByRole('link', { name: 'Stowaway home' })).toBeVisible();
  await waitForSyncTarget(await pageSession(page, { ...server, user: ADMIN_USER, password: ADMIN_PASSWORD }));
  await page.goto(`${server.url}/item/${ids['Third']}`);
  await expect(page.getByTestId('item-name')).toHaveText('Third');
  await page.evaluate(() => ((window as unknown as { liveMarker: number }).liveMarker = 1));
  await expect(page.getByTestId('sync-state')).toHaveCount(0);

  await page.getByTestId('sync-button').click();
  const dialog = page.getByTestId('sync-dialog');
  await dialog.getByRole('button', { name: 'Sync', exact: true }).click();
  await expect(dialog.getByTestId('sync-created')).toBeVisible();
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByTestId('sync-state')).toContainText(
    /Waiting to convert|Converting|Ready to download|Downloading|Finishing|On this device/,
  );
  expect(await page.evaluate(() => (window as unknown as { liveMarker?: number }).liveMarker)).toBe(1);
  await snapshot(page, '41-detail-sync-state');
});
