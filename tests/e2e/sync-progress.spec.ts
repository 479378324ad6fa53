/**
 * Issue 15 on a phone (390 × 844, touch): one download shows the same figures on every screen and moves
 * at least every second (§3); items another job already put on the device read so, not "Cancelled" (§4).
 * The server's bandwidth cap (UploadSpeedLimitBytes) makes the 2 MB download last long enough to look at.
 */
import type { Page } from '@playwright/test';
import { expect, snapshot, test } from './fixtures';
import { expectNoSidewaysScroll, expectNothingCoversButtons, phoneContext } from './phone';
import { createJob, messageWorker, signInAndWaitForWorker, startSwServer, waitForStatus, type SwServer } from './sw-support';

/** Small chunks, so a pause keeps most of what arrived; Background Fetch off, so the loop downloads. */
const CHUNK = 256 * 1024;
const FIGURE = /(\d+(?:\.\d)? [KMG]?B) of (\d+(?:\.\d)? [KMG]?B)/;

let server: SwServer;
let phone: Awaited<ReturnType<typeof phoneContext>>;
let page: Page;
let deviceId: string;
let job: { jobId: string; jobItemId: string };

test.use({ demoLibrary: false });
test.describe.configure({ mode: 'serial' });
test.beforeAll(async () => {
  server = await startSwServer();
  phone = await phoneContext();
  page = phone.page;
});
test.afterAll(async () => {
  await phone?.close();
  await server?.close();
});

/** The "n of m" figures of an element's text. */
function figureOf(text: string | null | undefined): string | undefined {
  const m = FIGURE.exec(text ?? '');
  return m ? `${m[1]} of ${m[2]}` : undefined;
}

/**
 * Reads a screen's figure and the download strip's in the same instant (one evaluate: both come from the
 * same state, rendered in the same tick), so a moving download cannot make them differ by timing.
 */
async function figuresNow(selector: string): Promise<{ screen?: string; strip?: string }> {
  const [screen, strip] = await page.evaluate(
    (sel) => [
      document.querySelector(sel)?.textContent ?? null,
      document.querySelector('[data-testid="download-indicator"]')?.textContent ?? null,
    ],
    selector,
  );
  return { screen: figureOf(screen), strip: figureOf(strip) };
}

async function expectSameFiguresAsStrip(selector: string): Promise<void> {
  await expect.poll(async () => (await figuresNow(selector)).screen, { timeout: 20_000 }).toMatch(FIGURE);
  const now = await figuresNow(selector);
  expect(now.screen, selector).toBeDefined();
  expect(now.screen, `${selector} and the download strip`).toBe(now.strip);
}

test('one download: the same figures on every screen, moving at least every second, and no button covered', async () => {
  deviceId = await signInAndWaitForWorker(page, server);
  await messageWorker(page, { type: 'test-config', settings: { chunkSize: CHUNK, backgroundFetchMinBytes: 1e12 } });
  // ~2 MB at 150 KB/s: about 14 s of download.
  expect((await server.admin.req('POST', '/System/Configuration/sync', { UploadSpeedLimitBytes: 150_000 })).status).toBe(204);
  // Every progress message the service worker sends, with when it came (the page stays loaded: the app
  // navigates in place from here on).
  await page.evaluate(() => {
    const log: Array<{ at: number; bytes: number; step: string }> = [];
    (window as unknown as { progressLog: typeof log }).progressLog = log;
    new BroadcastChannel('stowaway-sync').addEventListener('message', (e: MessageEvent) => {
      if (e.data?.type === 'progress') log.push({ at: Date.now(), bytes: e.data.item.bytes, step: e.data.item.step });
    });
  });

  job = await createJob(server, deviceId, 'Long Walk');
  await page.getByTestId('tab-downloads').tap();
  const row = page.getByTestId('offline-item').filter({ hasText: 'Long Walk' });
  const state = row.getByTestId('offline-state');
  await expect(state).toHaveText(/^Downloading \d/, { timeout: 30_000 });

  await test.step('the row moves while the download runs (bytes as they arrive, not per stored chunk)', async () => {
    const seen = new Set<string>();
    await expect
      .poll(
        async () => {
          seen.add((await state.textContent()) ?? '');
          return seen.size;
        },
        { timeout: 10_000, intervals: [200] },
      )
      .toBeGreaterThanOrEqual(3);
    await expectSameFiguresAsStrip('[data-testid="offline-state"]');
    await expectNothingCoversButtons(page);
    await expectNoSidewaysScroll(page);
    await snapshot(page, '60-phone-on-device-downloading');
  });

  await test.step('Sync jobs: the job card', async () => {
    await page.getByTestId('tab-jobs').tap();
    const card = page.locator(`[data-job-id="${job.jobId}"]`);
    await expect(card.getByTestId('status')).toHaveText('Downloading');
    await expectSameFiguresAsStrip(`[data-job-id="${job.jobId}"] [data-testid="progress-text"]`);
    await expectNothingCoversButtons(page);
    await snapshot(page, '61-phone-jobs-downloading');
  });

  await test.step('the job: its header and its item', async () => {
    await page.locator(`[data-job-id="${job.jobId}"]`).tap();
    await expect(page.getByTestId('job-title')).toHaveText('Long Walk');
    await expectSameFiguresAsStrip('.job-head [data-testid="progress-text"]');
    await expectSameFiguresAsStrip('[data-testid="job-item"] [data-testid="progress-text"]');
    await expectNothingCoversButtons(page);
    await expectNoSidewaysScroll(page);
    await snapshot(page, '62-phone-job-downloading');
  });

  await test.step('the item page', async () => {
    await page.getByTestId('job-item').getByRole('link', { name: 'Long Walk' }).tap();
    await expect(page.getByTestId('item-name')).toHaveText('Long Walk');
    await expectSameFiguresAsStrip('[data-testid="sync-state"] [data-testid="progress-text"]');
    await expectNothingCoversButtons(page);
    await snapshot(page, '63-phone-item-downloading');
  });

  let paused!: string;
  await test.step('paused, every screen shows the same figure that stays', async () => {
    await page.getByTestId('tab-downloads').tap();
    await row.getByRole('button', { name: 'Pause' }).tap();
    await expect(state).toHaveText(/^Paused at /);
    paused = figureOf(await state.textContent())!;
    expect(paused).toMatch(FIGURE);
    await page.getByTestId('tab-jobs').tap();
    await expect(page.locator(`[data-job-id="${job.jobId}"] [data-testid="progress-text"]`)).toHaveText(`Paused at ${paused}`);
    await page.locator(`[data-job-id="${job.jobId}"]`).tap();
    await expect(page.locator('.job-head [data-testid="progress-text"]')).toHaveText(`Paused at ${paused}`);
    await expect(page.locator('[data-testid="job-item"] [data-testid="progress-text"]')).toHaveText(`Paused at ${paused}`);
    await page.getByTestId('job-item').getByRole('link', { name: 'Long Walk' }).tap();
    await expect(page.getByTestId('sync-state').getByTestId('progress-text')).toHaveText(`Paused at ${paused}`);
    await page.getByTestId('tab-downloads').tap();
    await expect(state).toHaveText(`Paused at ${paused}`);
    await snapshot(page, '64-phone-paused');
  });

  await test.step('the service worker reported bytes between chunks, at least about every second', async () => {
    const log = await page.evaluate(
      () => (window as unknown as { progressLog: Array<{ at: number; bytes: number; step: string }> }).progressLog,
    );
    const media = log.filter((m) => m.step === 'media' && m.bytes > 0);
    expect(media.filter((m) => m.bytes % CHUNK !== 0).length).toBeGreaterThanOrEqual(3);
    const gaps = media.slice(1).map((m, i) => m.at - media[i]!.at);
    gaps.sort((a, b) => a - b);
    expect(gaps[Math.floor(gaps.length / 2)]).toBeLessThanOrEqual(1000);
  });

  await test.step('resumed, it finishes and every screen says it is on this device', async () => {
    await server.admin.req('POST', '/System/Configuration/sync', { UploadSpeedLimitBytes: 0 });
    await row.getByRole('button', { name: 'Resume' }).tap();
    await expect(state).toHaveText(/^On this device/, { timeout: 30_000 });
    await waitForStatus(server, job.jobId, job.jobItemId, 'Synced');
    await page.getByTestId('tab-jobs').tap();
    await expect(page.locator(`[data-job-id="${job.jobId}"]`).getByTestId('status')).toHaveText('On this device');
  });
});

test('items another job already put on this device: said beforehand, and never "Cancelled"', async () => {
  await page.goto(`${server.url}/item/${server.ids['Long Walk']}`);
  await expect(page.getByTestId('item-name')).toHaveText('Long Walk');
  const syncButton = page.getByTestId('sync-button');

  await test.step('Escape closes the dialog and gives focus back to the Sync button', async () => {
    await syncButton.tap();
    const dialog = page.getByTestId('sync-dialog');
    await expect(dialog.getByTestId('sync-already')).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
    await expect(syncButton).toBeFocused();
  });

  await syncButton.tap();
  const dialog = page.getByTestId('sync-dialog');
  await expect(dialog.getByTestId('sync-already')).toHaveText(
    'It is already on this device through job “Long Walk”: it is not downloaded twice.',
  );
  await expectNothingCoversButtons(page);
  await snapshot(page, '65-phone-dialog-already');
  await dialog.getByRole('button', { name: 'Sync', exact: true }).tap();
  await expect(dialog.getByTestId('sync-created')).toContainText('1 item is being prepared');
  await dialog.getByRole('link', { name: 'View progress' }).tap();

  const item = page.getByTestId('job-item');
  await expect(item.getByTestId('through-other-job')).toHaveText('On this device (through job “Long Walk”)');
  await expect(item.getByTestId('status')).toHaveText('Via another job');
  await expect(page.locator('.job-head').getByTestId('status')).not.toHaveText('Cancelled');
  await expect(page.getByText('Cancelled')).toHaveCount(0);
  await expect(item.getByRole('button', { name: 'Retry' })).toHaveCount(0);
  await expectNothingCoversButtons(page);
  await snapshot(page, '66-phone-job-through-other-job');

  await page.getByTestId('tab-jobs').tap();
  await expect(page.getByTestId('job-card')).toHaveCount(2);
  await expect(page.getByTestId('job-list')).not.toContainText('Cancelled');
  await snapshot(page, '67-phone-jobs-through-other-job');
});
