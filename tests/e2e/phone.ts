/**
 * The phone the app's specs run on (issue 15): 390×844, touch, mobile layout viewport — and the desktop
 * size the same screens are checked at. `withPhoneProfile` gives a Chromium with its own fresh profile (a
 * service worker of its own, README §3) at phone size.
 */
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Session } from '../helpers/server';
import { expect } from './fixtures';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './browser';

export const PHONE = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 } as const;
export const DESKTOP = { viewport: { width: 1366, height: 900 } } as const;

export async function withPhoneProfile<T>(run: (context: BrowserContext, page: Page) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stowaway-e2e-phone-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    ...PHONE,
  });
  try {
    return await run(context, context.pages()[0] ?? (await context.newPage()));
  } finally {
    await context.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Nothing on the page is wider than the screen (the old top bar scrolled sideways, hiding tabs). */
export async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

/** Signs in through the form (as on a phone: the user name is shown under More, not in a header). */
export async function signIn(page: Page, url: string, user: string, password: string): Promise<void> {
  await page.goto(`${url}/`);
  await page.getByLabel('User name').fill(user);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Libraries' })).toBeVisible();
}

/**
 * With the page signed in: waits for its service worker and its device to be a sync target, syncs one
 * item (original quality) and lets *Sync now* download it. Ends on the downloads page.
 */
export async function downloadToDevice(
  page: Page,
  server: { url: string; admin: Session; ids: Record<string, string> },
  name: string,
): Promise<void> {
  await expect
    .poll(() => page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? null), { timeout: 30_000 })
    .toBe(`${server.url}/sw.js`);
  const deviceId = await page.evaluate(() => localStorage.getItem('stowaway.deviceId'));
  await expect
    .poll(async () => ((await server.admin.json('GET', '/Sync/Targets')) as Array<{ Id: string }>).some((t) => t.Id === deviceId), {
      timeout: 30_000,
    })
    .toBe(true);
  await server.admin.json('POST', '/Sync/Jobs', { TargetId: deviceId, ItemIds: [server.ids[name]], Quality: 'original' });
  await page.getByTestId('tab-downloads').click();
  const row = page.getByTestId('offline-item').filter({ hasText: name });
  await expect(async () => {
    await page.getByTestId('sync-now').click({ timeout: 5_000 });
    await expect(row).toHaveAttribute('data-step', 'synced', { timeout: 5_000 });
  }).toPass({ timeout: 90_000 });
}
