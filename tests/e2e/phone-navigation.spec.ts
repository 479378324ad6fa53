/**
 * Navigation on a phone (issue 15, item 2): a bottom tab bar — Home, Search, Downloads (always there,
 * badged), Sync jobs, More — instead of a top bar that scrolled sideways and hid *On this device* and
 * *Upload*; the account and server switching under More; nothing offered that the user may not use, and a
 * clear page when it is reached by URL anyway. Also at desktop size: the header keeps every link.
 */
import type { Page } from '@playwright/test';
import { createUser, signIn as apiSignIn } from '../helpers/server';
import { expect, snapshot, test } from './fixtures';
import { DESKTOP, expectNoSidewaysScroll, PHONE, signIn } from './phone';

test.use({ demoLibrary: false });

test.beforeAll(async ({ server }) => {
  // No demo library here: one scan (of nothing) ends the first start, so Home is past "Preparing".
  await server.built.deps.library.scanner.scan();
});

/** Every tab is on screen, none cut off at the edge. */
async function expectTabsOnScreen(page: Page, ids: string[]): Promise<void> {
  const bar = page.getByTestId('tab-bar');
  await expect(bar).toBeVisible();
  await expect(bar.locator('.tab-bar-item')).toHaveCount(ids.length);
  for (const id of ids) {
    const box = await page.getByTestId(`tab-${id}`).boundingBox();
    expect(box, id).not.toBeNull();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);
    expect(box!.y + box!.height).toBeLessThanOrEqual(844);
  }
}

/** A download in progress, as the service worker records it (for the badge; it belongs to no signed-in server). */
async function seedDownload(page: Page): Promise<void> {
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('stowaway');
        open.onsuccess = () => {
          const tx = open.result.transaction('items', 'readwrite');
          tx.objectStore('items').put({
            Id: 'elsewhere_job-item-1',
            ServerId: 'elsewhere',
            ItemId: 'item-1',
            SyncJobItemId: 'job-item-1',
            SyncJobId: 'job-1',
            SyncJobName: 'Seeded',
            UserId: 'nobody',
            Item: { Id: 'item-1', Name: 'Seeded film', Type: 'Movie' },
            Parents: [],
            OriginalFileName: 'seeded.mp4',
            FileId: 'elsewhere_job-item-1',
            LocalPath: '',
            UserIdsWithAccess: [],
            AdditionalFiles: [],
            Subtitles: [],
            Images: [],
            step: 'media',
            attempts: 0,
            size: 1000,
            chunkSize: 1000,
            nextChunk: 0,
            bytes: 250,
            addedAt: Date.now(),
            updatedAt: Date.now(),
          });
          tx.oncomplete = () => (open.result.close(), resolve());
          tx.onerror = () => reject(tx.error);
        };
        open.onerror = () => reject(open.error);
      }),
  );
}

test('an administrator on a phone: tabs with a badged Downloads, More holds the account, the dashboard and server switching', async ({
  browser,
  server,
}) => {
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  await signIn(page, server.url, server.user, server.password);
  await expectTabsOnScreen(page, ['home', 'search', 'downloads', 'jobs', 'more']);
  // The desktop header's links are not a second, sideways-scrolling row.
  await expect(page.getByRole('banner').getByRole('link', { name: 'Sync jobs' })).toHaveCount(0);
  await expectNoSidewaysScroll(page);
  await expect(page.getByTestId('tab-home')).toHaveAttribute('aria-current', 'page');

  await test.step('the Downloads tab is badged while something downloads', async () => {
    await expect(page.getByTestId('downloads-badge')).toHaveCount(0);
    await seedDownload(page);
    await page.reload();
    await expect(page.getByTestId('downloads-badge')).toContainText('1');
    await page.getByTestId('tab-downloads').click();
    await expect(page).toHaveURL(/\/on-device$/);
    await expect(page.getByTestId('tab-downloads')).toHaveAttribute('aria-current', 'page');
    await expect(page.getByTestId('storage-bar')).toBeVisible();
    await snapshot(page, 'phone-downloads');
  });

  await test.step('More: who and where, server switching, Upload, Camera uploads, Dashboard; Esc gives the focus back', async () => {
    const more = page.getByTestId('tab-more');
    await more.click();
    const sheet = page.getByRole('dialog', { name: 'More' });
    await expect(sheet).toBeVisible();
    await expect(sheet.getByTestId('more-user-name')).toHaveText(server.user);
    // The switcher used to be display:none under 480 px: the way to another server was gone on phones.
    await expect(sheet.getByTestId('server-switcher')).toBeVisible();
    await expect(sheet.getByTestId('server-switcher')).toContainText('Add a server…');
    for (const id of ['browse', 'upload', 'camera-uploads', 'account', 'admin'])
      await expect(sheet.getByTestId(`more-${id}`)).toBeVisible();
    await snapshot(page, 'phone-more');
    await page.keyboard.press('Escape');
    await expect(sheet).toHaveCount(0);
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('tab-more');

    await more.click();
    await page.getByRole('dialog', { name: 'More' }).getByTestId('more-admin').click();
    await expect(page).toHaveURL(/\/admin\/sync$/);
    await expect(page.getByTestId('not-allowed')).toHaveCount(0);
    await expect(page.getByTestId('tab-more')).toHaveClass(/current/);
  });
  await context.close();
});

test('a user without sync and without admin rights is offered neither, and reaching them by URL says why', async ({ browser, server }) => {
  const admin = await apiSignIn(server.url, server.user, server.password, 'e2e-nav-admin');
  await createUser(server.url, admin, 'carol', 'carol-pw', { EnableSync: false });
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  await signIn(page, server.url, 'carol', 'carol-pw');
  await expectTabsOnScreen(page, ['home', 'search', 'downloads', 'more']);
  await expect(page.getByTestId('tab-jobs')).toHaveCount(0);

  await page.getByTestId('tab-more').click();
  const sheet = page.getByRole('dialog', { name: 'More' });
  await expect(sheet.getByTestId('more-upload')).toBeVisible();
  await expect(sheet.getByTestId('more-admin')).toHaveCount(0);
  await page.keyboard.press('Escape');

  await page.goto(`${server.url}/admin/sync`);
  await expect(page.getByRole('heading', { name: 'Administrators only' })).toBeVisible();
  await snapshot(page, 'phone-admin-only');
  await page.goto(`${server.url}/admin/users`);
  await expect(page.getByRole('heading', { name: 'Administrators only' })).toBeVisible();
  await page.goto(`${server.url}/jobs`);
  await expect(page.getByRole('heading', { name: 'Sync is not turned on for you' })).toBeVisible();

  // Empty states speak to what carol may do.
  await page.getByTestId('tab-downloads').click();
  await expect(page.getByTestId('offline-empty')).toContainText('Syncing is not turned on for your account');
  await context.close();
});

test('at desktop size the header carries every link and there is no tab bar', async ({ browser, server }) => {
  const context = await browser.newContext(DESKTOP);
  const page = await context.newPage();
  await signIn(page, server.url, server.user, server.password);
  const nav = page.getByRole('banner').getByRole('navigation', { name: 'Main' });
  for (const name of ['Search', 'Browse', 'Sync jobs', 'Downloads', 'Upload', 'Account', 'Dashboard']) {
    await expect(nav.getByRole('link', { name, exact: true })).toBeVisible();
  }
  await expect(page.getByTestId('tab-bar')).toBeHidden();
  await expect(page.getByTestId('user-name')).toHaveText(server.user);
  await expectNoSidewaysScroll(page);
  await context.close();
});
