/**
 * The administrator's dashboard against the real server: another user's job in the list of all jobs,
 * the sync settings, users and their sync permissions; and a user without EnableSync sees no sync action.
 */
import type { SyncJob } from '../../src/shared/api/sync';
import { expect, snapshot, test } from './fixtures';
import { openItem, pageSession, signInAndWaitForLibrary, waitForSyncTarget } from './syncUi';

test('an admin sees and manages every job, the sync settings and users; a user without sync sees no sync action', async ({
  page,
  browser,
  server,
}) => {
  await signInAndWaitForLibrary(page, server);
  const admin = await pageSession(page, server);

  await test.step('another user syncs a film from their own browser', async () => {
    await admin.json('POST', '/Users/New', { Name: 'ann', Password: 'ann-pw' });
    const context = await browser.newContext();
    const annPage = await context.newPage();
    await signInAndWaitForLibrary(annPage, server, { name: 'ann', password: 'ann-pw' });
    const ann = await pageSession(annPage, server);
    await waitForSyncTarget(ann);
    // Admin-only navigation is not offered to ann.
    await expect(annPage.getByTestId('nav-admin')).toHaveCount(0);
    await openItem(annPage, /movies/i, 'Colour Bars');
    await annPage.getByTestId('sync-button').click();
    await annPage.getByTestId('sync-dialog').getByRole('button', { name: 'Sync', exact: true }).click();
    await expect(annPage.getByTestId('sync-created')).toBeVisible();
    await context.close();
  });

  const annJob = ((await admin.json('GET', '/Sync/Jobs')).Items as SyncJob[]).find((j) => j.Name === 'Colour Bars')!;
  expect(annJob).toBeTruthy();

  await test.step('the dashboard lists ann’s job, filterable by user and status', async () => {
    await page.getByTestId('nav-admin').click();
    const card = page.locator(`[data-job-id="${annJob.Id}"]`);
    await expect(card).toBeVisible();
    await expect(card).toContainText('ann');
    await page.getByTestId('filter-user').selectOption({ label: 'admin' });
    await expect(card).toHaveCount(0);
    await page.getByTestId('filter-user').selectOption({ label: 'ann' });
    await expect(card).toBeVisible();
    await page.getByTestId('filter-status').selectOption('Failed');
    await expect(card).toHaveCount(0);
    await page.getByTestId('filter-status').selectOption('');
    await expect(card).toBeVisible();
    await expect(page.getByTestId('output-store')).toContainText(/\d+ (B|KB|MB)|—/);
    await snapshot(page, '30-admin-sync');
  });

  await test.step('the admin opens ann’s job and changes its quality', async () => {
    await page.locator(`[data-job-id="${annJob.Id}"]`).click();
    await expect(page.getByTestId('job-title')).toHaveText('Colour Bars');
    await page.getByTestId('edit-job').click();
    await page.getByLabel('Quality').selectOption('low');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(async () => ((await admin.json('GET', `/Sync/Jobs/${annJob.Id}`)) as SyncJob).Quality).toBe('low');
    await page.getByRole('link', { name: '← Sync jobs' }).click();
    await expect(page).toHaveURL(/\/admin\/sync$/);
  });

  await test.step('the sync settings are saved', async () => {
    await page.getByLabel('Conversions at once').fill('2');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByText('Saved', { exact: true })).toBeVisible();
    expect((await admin.json('GET', '/System/Configuration/sync')).MaxConcurrentConversions).toBe(2);
  });

  await test.step('create a user and turn sync off for them', async () => {
    await page.getByRole('navigation', { name: 'Dashboard' }).getByRole('link', { name: 'Users' }).click();
    await page.getByLabel('User name').fill('bob');
    await page.getByLabel('Password').fill('bob-pw');
    await page.getByRole('button', { name: 'Add user' }).click();
    await expect(page.getByText('bob was added.')).toBeVisible();
    const sync = page.getByLabel('Allow bob to sync');
    await sync.uncheck();
    await expect
      .poll(
        async () =>
          ((await admin.json('GET', '/Users')) as Array<{ Name: string; Policy: { EnableSync: boolean } }>).find((u) => u.Name === 'bob')
            ?.Policy.EnableSync,
      )
      .toBe(false);
    await snapshot(page, '31-admin-users');
  });

  await test.step('bob sees no sync action anywhere', async () => {
    const context = await browser.newContext();
    const bobPage = await context.newPage();
    await signInAndWaitForLibrary(bobPage, server, { name: 'bob', password: 'bob-pw' });
    await openItem(bobPage, /movies/i, 'Big Buck Test');
    await expect(bobPage.getByRole('heading', { name: 'Media info' })).toBeVisible();
    await expect(bobPage.getByTestId('sync-button')).toHaveCount(0);
    await bobPage.getByRole('link', { name: '← Back to list' }).click();
    await expect(bobPage.getByTestId('items').getByRole('link').first()).toBeVisible();
    await expect(bobPage.getByTestId('item-menu-button')).toHaveCount(0);
    await expect(bobPage.getByRole('button', { name: 'Select' })).toHaveCount(0);
    await expect(bobPage.getByTestId('sync-button')).toHaveCount(0);
    await bobPage.getByRole('link', { name: 'Stowaway home' }).click();
    await expect(bobPage.getByTestId('views').getByRole('link').first()).toBeVisible();
    await expect(bobPage.locator('.home-row').first()).toBeVisible();
    await expect(bobPage.getByTestId('sync-button')).toHaveCount(0);
    await context.close();
  });
});
