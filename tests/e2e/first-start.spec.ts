/**
 * First start and Home on a phone (issue 15, items 9 and 11): until the first library scan has ended Home
 * says "Preparing the library…" instead of an empty page, and shows the libraries by itself when the scan
 * ends (no Refresh); then Home starts with a compact row of libraries whose tiles are collages of their
 * posters — not grey tiles with a letter — followed by each library's rows.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ensureAdministrator } from '../../src/server/system/firstRun';
import { makeClip, tempDir } from '../helpers/media';
import { startTestServer, type TestServer } from '../helpers/server';
import { ADMIN_PASSWORD, ADMIN_USER, APP_DIR, expect, snapshot, test } from './fixtures';
import { DESKTOP, expectNoSidewaysScroll, PHONE, signIn } from './phone';

test.use({ demoLibrary: false });

let server: TestServer;
let media: string;

test.beforeAll(async () => {
  media = tempDir('stowaway-e2e-first-start-');
  const movies = path.join(media, 'Movies');
  const shows = path.join(media, 'Shows', 'Harbour Lights', 'Season 1');
  fs.mkdirSync(movies, { recursive: true });
  fs.mkdirSync(shows, { recursive: true });
  await Promise.all([
    makeClip(movies, 'Red Sky (2019).mp4', { seconds: 2, size: '320x180', source: 'testsrc2' }),
    makeClip(movies, 'Blue Hour (2020).mp4', { seconds: 2, size: '320x180', source: 'smptebars' }),
    makeClip(movies, 'Green Light (2021).mp4', { seconds: 2, size: '320x180', source: 'rgbtestsrc' }),
    makeClip(shows, 'Harbour Lights - S01E01.mp4', { seconds: 2, size: '320x180' }),
  ]);
  // Started without its first scan: the test decides when the library is ready.
  server = await startTestServer({ appDir: APP_DIR, mediaDirs: [media], adminUser: ADMIN_USER, adminPassword: ADMIN_PASSWORD });
  await ensureAdministrator(server.built.deps);
});

test.afterAll(async () => {
  await server?.close();
  if (media) fs.rmSync(media, { recursive: true, force: true });
});

test('Home says the library is being prepared until the first scan ends, then shows library tiles with poster collages', async ({
  browser,
}) => {
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  await signIn(page, server.url, ADMIN_USER, ADMIN_PASSWORD);
  const preparing = page.getByTestId('preparing-library');
  await expect(preparing).toContainText('Preparing the library…');
  await expect(page.getByTestId('views')).toHaveCount(0);
  await snapshot(page, 'first-start-preparing');

  await server.built.deps.library.scanner.scan();
  // No Refresh pressed: Home follows the scan and shows the libraries when it ends.
  const tiles = page.getByTestId('views').getByRole('link');
  await expect(tiles.filter({ hasText: 'Movies' })).toBeVisible({ timeout: 15_000 });
  await expect(preparing).toHaveCount(0);

  // The Movies tile is a collage of its films' posters (loaded images), not a letter on grey.
  const movies = tiles.filter({ hasText: 'Movies' });
  await expect(movies.locator('.poster-placeholder')).toHaveCount(0);
  await expect.poll(() => movies.locator('img').count()).toBeGreaterThanOrEqual(3);
  await expect
    .poll(() => movies.locator('img').evaluateAll((imgs) => imgs.every((i) => (i as HTMLImageElement).naturalWidth > 0)))
    .toBe(true);

  // The library row comes first, then the libraries' rows; the row fits the phone without pushing the page sideways.
  const order = await page.evaluate(() => {
    const strip = document.querySelector('[data-testid="views"]')!;
    const firstSection = document.querySelector('.home-view')!;
    return strip.compareDocumentPosition(firstSection) & Node.DOCUMENT_POSITION_FOLLOWING;
  });
  expect(order).toBeTruthy();
  await expect(page.locator('.home-row[data-category="Latest"]').first()).toBeVisible();
  const stripBox = await page.getByTestId('views').boundingBox();
  expect(stripBox!.height).toBeLessThan(160);
  await expectNoSidewaysScroll(page);
  await snapshot(page, 'first-start-home-phone');
  await context.close();

  const desktop = await browser.newContext(DESKTOP);
  const wide = await desktop.newPage();
  await signIn(wide, server.url, ADMIN_USER, ADMIN_PASSWORD);
  await expect(wide.getByTestId('views').getByRole('link').filter({ hasText: 'Movies' })).toBeVisible();
  await expectNoSidewaysScroll(wide);
  await snapshot(wide, 'first-start-home-desktop');
  await desktop.close();
});
