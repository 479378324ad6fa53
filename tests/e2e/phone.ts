/**
 * A phone for the specs of issue 15: Chromium at 390 × 844 with touch and a mobile viewport, reporting an
 * Android Chrome user agent (so the app names the device "Chrome on Android · …"), in its own profile so
 * its service worker starts empty — and the desktop size the same screens are checked at. Plus the checks
 * every phone screen gets, and the steps several specs share.
 */
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Session } from '../helpers/server';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './browser';
import { expect } from './fixtures';

export const PHONE_VIEWPORT = { width: 390, height: 844 };
const ANDROID_UA = 'Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36';
/** Context options for `browser.newContext(PHONE)` (a shared profile) or a persistent one. */
export const PHONE = { viewport: PHONE_VIEWPORT, hasTouch: true, isMobile: true, deviceScaleFactor: 2, userAgent: ANDROID_UA } as const;
export const DESKTOP = { viewport: { width: 1366, height: 900 } } as const;

export async function phoneContext(): Promise<{ context: BrowserContext; page: Page; close(): Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stowaway-e2e-phone-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    ...PHONE,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `run` with a phone of its own (fresh profile and service worker), closed afterwards whatever happens. */
export async function withPhoneProfile<T>(run: (context: BrowserContext, page: Page) => Promise<T>): Promise<T> {
  const phone = await phoneContext();
  try {
    return await run(phone.context, phone.page);
  } finally {
    await phone.close();
  }
}

/**
 * No button or link-button on the screen is covered by anything else (the floating pill of issue 15 sat
 * on top of them): the element found at each visible button's centre is that button or inside it.
 * With a modal dialog open, the dialog's buttons.
 */
export async function expectNothingCoversButtons(page: Page): Promise<void> {
  const covered = await page.evaluate(() => {
    const out: string[] = [];
    // A modal dialog makes the page under it inert: then only the dialog's own buttons count.
    const scope: ParentNode = document.querySelector('dialog[open]') ?? document;
    for (const el of Array.from(scope.querySelectorAll<HTMLElement>('button, a.button, [role="button"]'))) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || r.bottom <= 0 || r.top >= innerHeight || r.right <= 0 || r.left >= innerWidth) continue;
      const x = Math.min(Math.max(r.left + r.width / 2, 0), innerWidth - 1);
      const y = Math.min(Math.max(r.top + r.height / 2, 0), innerHeight - 1);
      const hit = document.elementFromPoint(x, y);
      if (hit && hit !== el && !el.contains(hit))
        out.push(`${el.textContent?.trim() || el.getAttribute('aria-label')} under ${hit.tagName}.${hit.className}`);
    }
    return out;
  });
  expect(covered).toEqual([]);
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

/** On a phone: opens More and follows one of its entries (`account`, `admin`, `upload`…). */
export async function openFromMore(page: Page, entry: string): Promise<void> {
  await page.getByTestId('tab-more').tap();
  await page.getByRole('dialog', { name: 'More' }).getByTestId(`more-${entry}`).tap();
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
