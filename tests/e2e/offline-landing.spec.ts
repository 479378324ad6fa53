/**
 * Opening the app with no server is not a dead end (issue 15, item 1). On a phone with a film on the
 * device: with the network off, and with the server really stopped, the app lands on *On this device*
 * with a quiet banner, every page that needs the server says so and links to the downloads, Sync now /
 * Pause are not offered — and when the server answers again the app goes back to Home by itself.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { makeClip, tempDir } from '../helpers/media';
import { ADMIN_PASSWORD, ADMIN_USER, expect, snapshot, test } from './fixtures';
import { downloadToDevice, expectNoSidewaysScroll, signIn, withPhoneProfile } from './phone';
import { RestartableServer } from './restartableServer';

test.use({ demoLibrary: false });

let media: string;
let server: RestartableServer;

test.beforeAll(async () => {
  media = tempDir('stowaway-e2e-offline-landing-');
  const movies = path.join(media, 'Movies');
  fs.mkdirSync(movies, { recursive: true });
  await Promise.all([
    makeClip(movies, 'Night Train (2020).mp4', { seconds: 4, size: '320x180' }),
    makeClip(movies, 'Day Trip (2021).mp4', { seconds: 2, size: '320x180' }),
  ]);
  server = new RestartableServer([media]);
  await server.start();
});

test.afterAll(async () => {
  await server?.close();
  if (media) fs.rmSync(media, { recursive: true, force: true });
});

/** Signs in and downloads "Night Train" to the device. */
async function withFilmOnDevice(page: Page): Promise<void> {
  await signIn(page, server.url, ADMIN_USER, ADMIN_PASSWORD);
  await downloadToDevice(page, server, 'Night Train');
}

async function expectLandedOnDownloads(page: Page): Promise<void> {
  await expect(page).toHaveURL(/\/on-device$/);
  await expect(page.getByTestId('offline-banner')).toContainText("showing what's on this device");
  await expect(page.getByTestId('offline-item').filter({ hasText: 'Night Train' })).toHaveAttribute('data-step', 'synced');
  // Asking the service worker to sync with no server would only fail: not offered.
  await expect(page.getByTestId('sync-now')).toHaveCount(0);
  await expect(page.getByTestId('pause-all')).toHaveCount(0);
  await expect(page.getByTestId('tab-downloads')).toBeVisible();
  await expectNoSidewaysScroll(page);
}

/** A page that needs the server says so and leads to the downloads. */
async function expectItemPageLeadsToDownloads(page: Page): Promise<void> {
  await page.goto(`${server.url}/item/${server.ids['Day Trip']}`);
  await expect(page.getByTestId('needs-server')).toContainText('This page needs the server');
  await expect(page.getByTestId('offline-banner')).toContainText('this page needs the server');
  await page.getByTestId('needs-server').getByRole('link', { name: 'Go to downloads' }).click();
  await expect(page).toHaveURL(/\/on-device$/);
}

test('with the network off the app opens on the downloads, and goes back to Home when the network returns', async () => {
  await withPhoneProfile(async (context, page) => {
    await withFilmOnDevice(page);

    await context.setOffline(true);
    try {
      // Opening the app (a reload of Home, answered by the service worker's precache).
      await page.goto(`${server.url}/`);
      await expectLandedOnDownloads(page);
      await snapshot(page, 'offline-landing-network');
      await expectItemPageLeadsToDownloads(page);
      // Home again, still offline: straight back to the downloads.
      await page.getByTestId('tab-home').click();
      await expectLandedOnDownloads(page);
    } finally {
      await context.setOffline(false);
    }
    // The network is back: the app notices the server answering and returns to Home on its own.
    await expect(page).toHaveURL(`${server.url}/`, { timeout: 30_000 });
    await expect(page.getByTestId('views').getByRole('link', { name: /Movies/ })).toBeVisible();
    await expect(page.getByTestId('offline-banner')).toHaveCount(0);
  });
});

test('with the server stopped the app opens on the downloads, and goes back to Home when the server answers', async () => {
  await withPhoneProfile(async (_context, page) => {
    await withFilmOnDevice(page);
    await page.getByTestId('tab-home').click();
    await expect(page.getByTestId('views').getByRole('link', { name: /Movies/ })).toBeVisible();

    await server.stop();
    try {
      // The network is up (navigator.onLine stays true): only the failed requests tell.
      await page.goto(`${server.url}/`);
      expect(await page.evaluate(() => navigator.onLine)).toBe(true);
      await expectLandedOnDownloads(page);
      await expect(page.getByTestId('offline-banner')).toHaveAttribute('data-reason', 'server');
      await snapshot(page, 'offline-landing-server-stopped');
      await expectItemPageLeadsToDownloads(page);
      await page.getByTestId('tab-home').click();
      await expectLandedOnDownloads(page);
    } finally {
      await server.restart();
    }
    await expect(page).toHaveURL(`${server.url}/`, { timeout: 30_000 });
    await expect(page.getByTestId('views').getByRole('link', { name: /Movies/ })).toBeVisible();
    await expect(page.getByTestId('offline-banner')).toHaveCount(0);
  });
});
