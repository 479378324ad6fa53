/**
 * `npx tsx scripts/readme-screenshots.ts` (after `npm run build`): retakes README's screenshots
 * (docs/screenshots/*.png) the way most people see the app — on a phone, 390×844 with touch — against the
 * demo library on a throwaway server: Home, the sync dialog, multi-select, a job, the job list, the
 * downloads with a film on the device, the More sheet, the dashboard, the offline landing, an item with
 * its copy on the device and the player (landscape). Not a test: it asserts nothing and writes files.
 */
import { chromium, type Page } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../src/server/app';
import { loadConfig } from '../src/server/config';
import { createLogger } from '../src/server/logger';
import { ensureAdministrator } from '../src/server/system/firstRun';

const OUT = path.resolve('docs/screenshots');
const USER = 'admin';
const PASSWORD = 'screenshots';
const PHONE = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 1 };

async function shot(page: Page, name: string): Promise<void> {
  // Posters decode lazily: wait for what is on screen, then for the page to settle.
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await page.waitForTimeout(600);
  await page.screenshot({ path: path.join(OUT, `${name}.png`) });
  console.log(`docs/screenshots/${name}.png`);
}

async function waitFor(check: () => Promise<boolean>, what: string, ms = 120_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stowaway-shots-'));
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'stowaway-shots-profile-'));
  const config = {
    ...loadConfig({}, process.cwd()),
    port: 0,
    host: '127.0.0.1',
    dataDir,
    watch: false,
    logLevel: 'warn',
    appDir: path.resolve('dist/app'),
    adminUser: USER,
    adminPassword: PASSWORD,
  };
  const built = await buildApp(config, createLogger(config.logLevel));
  await built.app.listen({ port: 0, host: '127.0.0.1' });
  const address = built.app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  await ensureAdministrator(built.deps);
  await built.deps.startBackground?.();
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu'],
    ...PHONE,
  });
  try {
    fs.mkdirSync(OUT, { recursive: true });
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${url}/`);
    await page.getByLabel('User name').fill(USER);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('views').getByRole('link').first().waitFor();
    await waitFor(() => page.evaluate(() => !!navigator.serviceWorker.controller), 'the service worker');
    const deviceId = await page.evaluate(() => localStorage.getItem('stowaway.deviceId'));
    await waitFor(async () => !!built.deps.devices.get(deviceId!)?.capabilities?.SupportsSync, 'the sync target');
    await shot(page, 'home');

    // A film: its page, the sync dialog, then the download.
    await page
      .getByTestId('views')
      .getByRole('link', { name: /Movies/ })
      .click();
    await page.getByTestId('items').getByRole('link', { name: 'Big Buck Test' }).first().click();
    await page.getByTestId('sync-button').click();
    await page.getByTestId('sync-dialog').getByLabel('Quality').waitFor();
    await shot(page, 'sync-dialog');
    await page.getByTestId('sync-dialog').getByRole('button', { name: 'Sync', exact: true }).click();
    await page.getByTestId('sync-dialog').getByRole('button', { name: 'Done' }).click();

    // Two episodes by multi-select.
    await page.getByTestId('tab-home').click();
    await page.getByTestId('views').getByRole('link', { name: /TV/ }).click();
    await page.getByTestId('items').getByRole('link', { name: 'Demo Show' }).first().click();
    await page.getByRole('button', { name: /Select episodes/ }).click();
    const boxes = page.getByRole('list', { name: 'Episodes' }).getByRole('checkbox');
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await shot(page, 'multi-select');
    await page.getByTestId('selection-bar').getByRole('button', { name: 'Sync' }).click();
    await page.getByTestId('sync-dialog').getByLabel('Name').fill('Episodes for the train');
    await page.getByTestId('sync-dialog').getByRole('button', { name: 'Sync', exact: true }).click();
    await page.getByTestId('sync-dialog').getByRole('button', { name: 'Done' }).click();

    // The downloads: Sync now until the film is on the device.
    await page.getByTestId('tab-downloads').click();
    const film = page.getByTestId('offline-item').filter({ hasText: 'Big Buck Test' });
    await waitFor(async () => {
      if ((await film.getAttribute('data-step').catch(() => null)) === 'synced') return true;
      await page
        .getByTestId('sync-now')
        .click({ timeout: 2000 })
        .catch(() => undefined);
      return false;
    }, 'the film on the device');
    await shot(page, 'on-device');

    // Jobs: the list, then one job (items first, settings behind Edit).
    await page.getByTestId('tab-jobs').click();
    await page.getByTestId('job-list').waitFor();
    await shot(page, 'jobs-phone');
    await page.getByText('Episodes for the train').first().click();
    await page.getByTestId('job-items').waitFor();
    await shot(page, 'job-detail');

    // More, and the dashboard through it.
    await page.getByTestId('tab-more').click();
    await shot(page, 'more');
    await page.getByTestId('more-admin').click();
    await page.getByTestId('output-store').waitFor();
    await shot(page, 'admin-sync');

    // The film's page online: the copy on the device plays; then the player, held sideways.
    await page.getByTestId('tab-home').click();
    await page
      .getByTestId('views')
      .getByRole('link', { name: /Movies/ })
      .click();
    await page.getByTestId('items').getByRole('link', { name: 'Big Buck Test' }).first().click();
    await page.getByTestId('local-copy-note').waitFor();
    await shot(page, 'item-on-device');
    await page.setViewportSize({ width: 844, height: 390 });
    await page.getByTestId('play').tap();
    await page.getByTestId('touch-controls').waitFor();
    await page.locator('video').evaluate((v) => (v as HTMLVideoElement).pause());
    await shot(page, 'player');
    await page.evaluate(() => document.fullscreenElement && document.exitFullscreen());
    await page.setViewportSize(PHONE.viewport);

    // No network: the app opens on what is on the device.
    await context.setOffline(true);
    await page.goto(`${url}/`);
    await page.getByTestId('offline-banner').waitFor();
    await page.waitForURL(/\/on-device$/);
    await shot(page, 'offline');
    await context.setOffline(false);
  } finally {
    await context.close();
    await built.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
