/**
 * The sync UI as a person uses it, against the real server: sync a film from its page, two episodes by
 * multi-select, the Next Up category from Home; watch a job become ready live; edit it; cancel an item;
 * cancel a job. Screenshots of each main screen land in tests/e2e/artifacts/.
 */
import type { SyncJob, SyncJobItem } from '../../src/shared/api/sync';
import { expect, snapshot, test } from './fixtures';
import { openItem, pageSession, signInAndWaitForLibrary, waitForSyncTarget } from './syncUi';

test('sync from the detail page, a multi-selection and a category; follow, edit and cancel jobs', async ({ page, server }) => {
  await signInAndWaitForLibrary(page, server);
  const api = await pageSession(page, server);
  await waitForSyncTarget(api);
  await snapshot(page, '20-home-rows');

  let movieJob!: SyncJob;
  await test.step('sync a film from its detail page at Medium', async () => {
    await openItem(page, /movies/i, 'Big Buck Test');
    await page.getByTestId('sync-button').click();
    const dialog = page.getByTestId('sync-dialog');
    await expect(dialog.getByLabel('Sync to')).toContainText('(this device)');
    // A single film gets quality (and profile, which device targets do not offer): nothing else.
    await expect(dialog.getByLabel('Name')).toHaveCount(0);
    await expect(dialog.getByLabel('Item limit')).toHaveCount(0);
    await dialog.getByLabel('Quality').selectOption('medium');
    await expect(dialog.getByTestId('sync-estimate')).toContainText(/\d+(\.\d+)? (KB|MB)/);
    await snapshot(page, '21-sync-dialog');
    await dialog.getByRole('button', { name: 'Sync', exact: true }).click();
    await expect(dialog.getByTestId('sync-created')).toContainText('Big Buck Test');
    const jobs = (await api.json('GET', `/Sync/Jobs?UserId=${api.userId}`)).Items as SyncJob[];
    movieJob = jobs.find((j) => j.Name === 'Big Buck Test')!;
    expect(movieJob).toMatchObject({ Quality: 'medium', TargetId: api.deviceId });
    await dialog.getByRole('button', { name: 'Done' }).click();
    await expect(dialog).toHaveCount(0);
  });

  await test.step('the quality is remembered for the next dialog', async () => {
    await page.getByTestId('sync-button').click();
    await expect(page.getByTestId('sync-dialog').getByLabel('Quality')).toHaveValue('medium');
    await page.getByTestId('sync-dialog').getByRole('button', { name: 'Cancel' }).click();
  });

  await test.step('the job list shows the job and its progress moves to ready, live', async () => {
    await page.getByTestId('nav-sync-jobs').click();
    const card = page.locator(`[data-job-id="${movieJob.Id}"]`);
    await expect(card).toBeVisible();
    // A direct-play film is ready at once; the service worker may already be downloading it.
    await expect(card.getByTestId('status')).toHaveText(/Ready to download|Downloading|Finishing|On this device/, { timeout: 60_000 });
    // Converted: the figures are the download's own (the bar no longer sits at a mixed "50 %").
    await expect(card).toContainText(/Ready to download · \d|Downloading \d|Finishing|On this device/);
    await snapshot(page, '22-job-list');
  });

  let episodesJob!: SyncJob;
  await test.step('sync two episodes by multi-select', async () => {
    await openItem(page, /tv|shows/i, 'Demo Show');
    await page.getByRole('button', { name: /Select episodes/ }).click();
    const rows = page.getByRole('list', { name: 'Episodes' }).getByRole('checkbox');
    await rows.nth(0).check();
    await rows.nth(1).check();
    await expect(page.getByTestId('selection-bar')).toContainText('2 selected');
    await snapshot(page, '23-multi-select');
    await page.getByTestId('selection-bar').getByRole('button', { name: 'Sync' }).click();
    const dialog = page.getByTestId('sync-dialog');
    // More than one item: a name to give the job, and "unwatched only" for videos.
    await expect(dialog.getByLabel('Name')).toHaveValue('2 items');
    await dialog.getByLabel('Name').fill('Two demo episodes');
    await expect(dialog.getByLabel('Unwatched only')).toBeVisible();
    await dialog.getByRole('button', { name: 'Sync', exact: true }).click();
    await expect(dialog.getByTestId('sync-created')).toContainText('2 items');
    episodesJob = ((await api.json('GET', `/Sync/Jobs?UserId=${api.userId}`)).Items as SyncJob[]).find(
      (j) => j.Name === 'Two demo episodes',
    )!;
    expect(episodesJob.RequestedItemIds).toHaveLength(2);
    await dialog.getByRole('button', { name: 'Done' }).click();
  });

  await test.step('sync the Next Up category of the TV view', async () => {
    const views = (await api.json('GET', `/Users/${api.userId}/Views`)).Items as Array<{
      Id: string;
      Name: string;
      CollectionType?: string;
    }>;
    const tv = views.find((v) => v.CollectionType === 'tvshows')!;
    const episodes = (
      await api.json(
        'GET',
        `/Users/${api.userId}/Items?ParentId=${tv.Id}&Recursive=true&IncludeItemTypes=Episode&SortBy=ParentIndexNumber,IndexNumber`,
      )
    ).Items as Array<{ Id: string }>;
    await api.json('POST', `/Users/${api.userId}/PlayedItems/${episodes[0]!.Id}`);
    await page.getByRole('link', { name: 'Stowaway home' }).click();
    const row = page.locator(`[data-view-id="${tv.Id}"] [data-category="NextUp"]`);
    await expect(row).toBeVisible();
    await snapshot(page, '24-home-next-up');
    await row.getByTestId('sync-button').click();
    const dialog = page.getByTestId('sync-dialog');
    await expect(dialog.getByLabel('Name')).toHaveValue(/Next Up/);
    await expect(dialog.getByLabel('Sync new content automatically')).toBeChecked();
    await expect(dialog.getByLabel('Item limit')).toBeVisible();
    await dialog.getByLabel('Item limit').fill('3');
    await dialog.getByRole('button', { name: 'Sync', exact: true }).click();
    await expect(dialog.getByTestId('sync-created')).toBeVisible();
    const job = ((await api.json('GET', `/Sync/Jobs?UserId=${api.userId}`)).Items as SyncJob[]).find((j) => j.Category === 'NextUp')!;
    expect(job).toMatchObject({ ParentId: tv.Id, ItemLimit: 3, SyncNewContent: true });
    await dialog.getByRole('link', { name: 'View progress' }).click();
    await expect(page.getByTestId('job-title')).toHaveText(job.Name);
  });

  await test.step('edit a job: name, quality and a custom bitrate', async () => {
    await page.goto(`${server.url}/jobs/${episodesJob.Id}`);
    await expect(page.getByTestId('job-title')).toHaveText('Two demo episodes');
    // Items and progress come first; the settings open behind Edit.
    await page.getByTestId('edit-job').click();
    await page.getByLabel('Name', { exact: true }).fill('Demo episodes for the train');
    await page.getByLabel('Quality').selectOption('custom');
    await page.getByLabel('Bitrate (Mbps)').fill('2.5');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect(page.getByTestId('job-title')).toHaveText('Demo episodes for the train');
    const saved = (await api.json('GET', `/Sync/Jobs/${episodesJob.Id}`)) as SyncJob;
    expect(saved).toMatchObject({ Name: 'Demo episodes for the train', Quality: 'custom', Bitrate: 2_500_000 });
    await snapshot(page, '25-job-detail');
  });

  await test.step('cancel one item of the job', async () => {
    const first = page.getByTestId('job-item').first();
    const name = (await first.locator('.job-name').textContent())!;
    await first.getByRole('button', { name: /^Cancel$|Remove from device/ }).click();
    // Not yet downloaded → Cancelled; already on the device (the service worker is quick) → marked to leave it.
    await expect(page.getByTestId('job-item').filter({ hasText: name })).toContainText(/Cancelled|Removed from device|leaves the device/);
    const items = (await api.json('GET', `/Sync/JobItems?JobId=${episodesJob.Id}`)).Items as SyncJobItem[];
    expect(items.filter((i) => i.Status === 'Cancelled' || i.IsMarkedForRemoval)).toHaveLength(1);
  });

  await test.step('cancel the whole job after a confirmation that says the files go', async () => {
    await page.getByTestId('cancel-job').click();
    const confirm = page.getByRole('dialog', { name: 'Cancel this sync job?' });
    await expect(confirm).toContainText('converted files will be deleted');
    await snapshot(page, '26-cancel-confirm');
    await confirm.getByRole('button', { name: 'Cancel job and delete files' }).click();
    await expect(page).toHaveURL(/\/jobs$/);
    await expect(page.locator(`[data-job-id="${episodesJob.Id}"]`)).toHaveCount(0);
    expect((await api.req('GET', `/Sync/Jobs/${episodesJob.Id}`)).status).toBe(404);
  });

  await test.step('the film shows its sync state on its poster and page', async () => {
    await openItem(page, /movies/i, 'Big Buck Test');
    await expect(page.locator('.detail-actions').getByTestId('sync-state')).toBeVisible();
  });

  await test.step('phone width: the job list and the dialog fit 360 px', async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    // On a phone the header's links give way to the bottom tab bar.
    await page.getByTestId('tab-jobs').click();
    await expect(page.getByTestId('job-list')).toBeVisible();
    await snapshot(page, '27-jobs-phone');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
