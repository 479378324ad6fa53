/**
 * A phone for the specs of issue 15: Chromium at 390 × 844 with touch and a mobile viewport, reporting an
 * Android Chrome user agent (so the app names the device "Chrome on Android · …"), in its own profile so
 * its service worker starts empty. Plus the checks every phone screen gets.
 */
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './browser';
import { expect } from './fixtures';

export const PHONE = { width: 390, height: 844 };
const ANDROID_UA = 'Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36';

export async function phoneContext(): Promise<{ context: BrowserContext; page: Page; close(): Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stowaway-e2e-phone-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: PHONE,
    hasTouch: true,
    isMobile: true,
    deviceScaleFactor: 2,
    userAgent: ANDROID_UA,
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

/** The page is no wider than the phone (nothing forces a sideways scroll). */
export async function expectNoSidewaysScroll(page: Page): Promise<void> {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
}
