/**
 * Signing in and browsing through the page, like a person: the shell, the library views, a poster grid,
 * an item's detail. Screenshots land in tests/e2e/artifacts/ for a human look.
 */
import type { Page } from '@playwright/test';
import { expect, signInThroughPage, snapshot, test } from './fixtures';

/** From Home, opens the view whose name matches, then (unless told not to) its first item. */
async function openFirstItemOfView(page: Page, name: RegExp, openItem = true): Promise<void> {
  await page.getByRole('link', { name: 'Stowaway home' }).click();
  await page.getByTestId('views').getByRole('link', { name }).first().click();
  const first = page.getByTestId('items').getByRole('link').first();
  await expect(first).toBeVisible();
  if (openItem) {
    await first.click();
    await expect(page.getByTestId('item-name')).toBeVisible();
  }
}

/** The demo library is generated and scanned after start; on a cold machine that takes up to a minute. */
const LIBRARY_READY_TIMEOUT = 150_000;

test("a wrong password shows the server's message and keeps the form", async ({ page, server }) => {
  await page.goto(`${server.url}/`);
  await page.getByLabel('User name').fill(server.user);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  const error = page.getByTestId('signin-error');
  await expect(error).toBeVisible();
  await expect(error).not.toHaveText(/HTTP 401|^$/);
  await expect(page.getByLabel('User name')).toHaveValue(server.user);
  await snapshot(page, '01-signin-error');
});

test('signs in, reports capabilities, browses a view and opens an item', async ({ page, server }) => {
  await page.goto(`${server.url}/`);
  await snapshot(page, '00-signin');
  await signInThroughPage(page, server);

  await expect(page.getByRole('heading', { name: 'Libraries' })).toBeVisible();
  await expect(page.getByTestId('user-name')).toHaveText(server.user);

  // This browser became a sync target with a profile built from what Chromium plays.
  const deviceId = await page.evaluate(() => localStorage.getItem('stowaway.deviceId'));
  expect(deviceId).toMatch(/^[0-9a-f]{32}$/);
  await expect.poll(() => server.built.deps.devices.get(deviceId!)?.capabilities?.SupportsSync ?? false, { timeout: 15_000 }).toBe(true);
  const profile = server.built.deps.devices.get(deviceId!)!.capabilities!.DeviceProfile!;
  expect(profile.DirectPlayProfiles?.some((p) => p.Type === 'Video' && (p.VideoCodec ?? '').includes('h264'))).toBe(true);
  expect(profile.TranscodingProfiles?.find((p) => p.Context === 'Static' && p.Type === 'Video')).toMatchObject({
    Container: 'mp4',
    VideoCodec: 'h264',
  });

  // Views appear once the demo library is scanned; Refresh is what a person would press meanwhile.
  const views = page.getByTestId('views').getByRole('link');
  await expect(async () => {
    if ((await views.count()) === 0) await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(views.first()).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: LIBRARY_READY_TIMEOUT, intervals: [2_000] });
  await snapshot(page, '02-home');

  // Prefer films: their detail page has the richest media info.
  const movies = views.filter({ hasText: /movies/i });
  await ((await movies.count()) > 0 ? movies.first() : views.first()).click();
  const posters = page.getByTestId('items').getByRole('link');
  await expect(posters.first()).toBeVisible();
  await expect
    .poll(
      () =>
        page
          .getByTestId('items')
          .locator('img')
          .evaluateAll((imgs) => imgs.filter((i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth > 0).length),
      { message: 'at least one poster image loads', timeout: 15_000 },
    )
    .toBeGreaterThan(0);
  await snapshot(page, '03-list');

  const firstName = (await posters.first().locator('.poster-title').textContent())?.trim();
  await posters.first().click();
  await expect(page.getByTestId('item-name')).toHaveText(firstName!);
  await expect(page.getByRole('heading', { name: 'Media info' })).toBeVisible();
  await expect(page.locator('.media-info')).toContainText(/Container/);
  await snapshot(page, '04-detail');

  await test.step('a series shows its seasons and episodes', async () => {
    await openFirstItemOfView(page, /tv|shows/i);
    await expect(page.getByRole('tablist', { name: 'Seasons' }).getByRole('tab').first()).toBeVisible();
    await expect(page.getByRole('list', { name: 'Episodes' }).getByRole('link').first()).toBeVisible();
    await snapshot(page, '06-series');
  });

  await test.step('an album shows its tracks', async () => {
    await openFirstItemOfView(page, /music/i);
    await expect(page.getByRole('list', { name: 'Tracks' }).getByRole('link').first()).toBeVisible();
    await snapshot(page, '07-album');
  });

  // The same shell on a 360 px phone: two poster columns, the tab bar instead of the header's links.
  await page.setViewportSize({ width: 360, height: 740 });
  await openFirstItemOfView(page, /movies/i, false);
  await expect(posters.first()).toBeVisible();
  await snapshot(page, '05-list-phone');

  // Sign-out (under More on a phone) returns to the form and forgets the token.
  await page.getByTestId('tab-more').click();
  await page.getByRole('dialog', { name: 'More' }).getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  expect(await page.evaluate(() => localStorage.getItem('stowaway.sessions'))).toBe('[]');
});
