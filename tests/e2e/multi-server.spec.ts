/**
 * Several servers in one browser: two real servers on two loopback ports (two origins). The app signs in
 * to both (each with its own user and token, the same DeviceId registered on each), the service worker's
 * run syncs an item from each, On this device groups them by server with each server's storage, and
 * with one server stopped the next run still completes for the other.
 */
import { expect, test } from './fixtures';
import { ADMIN_PASSWORD, ADMIN_USER } from './fixtures';
import {
  createJob,
  idbAll,
  messageWorker,
  parkPage,
  signInAndWaitForWorker,
  startSwServer,
  SwDevtools,
  waitForRun,
  waitForStatus,
  type SwServer,
} from './sw-support';

let home: SwServer;
let friend: SwServer;
let friendClosed = false;

test.use({ demoLibrary: false });
test.beforeAll(async () => {
  [home, friend] = await Promise.all([startSwServer(), startSwServer()]);
});
test.afterAll(async () => {
  await home?.close();
  if (!friendClosed) await friend?.close();
});

const host = (url: string) => new URL(url).host;

test('syncs from two servers, groups by server, and one stopped server does not block the other', async ({
  persistentContext: context,
}) => {
  const page = context.pages()[0] ?? (await context.newPage());
  const sw = await SwDevtools.attach(context, page, home.url);
  const deviceId = await signInAndWaitForWorker(page, home);
  await messageWorker(page, {
    type: 'test-config',
    settings: { chunkSize: 256 * 1024 },
  });

  // Add the second server through the switcher, as a person would.
  await page.getByTestId('server-switcher').selectOption({ label: 'Add a server…' });
  await expect(page.getByLabel('Server address')).toBeVisible();
  await page.getByLabel('Server address').fill(friend.url);
  await page.getByLabel('User name').fill(ADMIN_USER);
  await page.getByLabel('Password').fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('server-switcher')).toContainText(host(friend.url));
  await expect
    .poll(
      async () =>
        ((await friend.admin.json('GET', `/Sync/Targets?UserId=${friend.admin.userId}`)) as Array<{ Id: string }>).some(
          (t) => t.Id === deviceId,
        ),
      {
        timeout: 30_000,
      },
    )
    .toBe(true);
  await expect.poll(async () => new Set((await idbAll(page, 'servers')).map((r) => r.serverId)).size).toBe(2);

  const a = await createJob(home, deviceId, 'Short Hop');
  const b = await createJob(friend, deviceId, 'Short Hop');
  await Promise.all([
    waitForStatus(home, a.jobId, a.jobItemId, 'ReadyToTransfer'),
    waitForStatus(friend, b.jobId, b.jobItemId, 'ReadyToTransfer'),
  ]);
  await sw.dispatchSync();
  await Promise.all([waitForStatus(home, a.jobId, a.jobItemId, 'Synced'), waitForStatus(friend, b.jobId, b.jobItemId, 'Synced')]);

  await page.goto(`${home.url}/on-device`);
  for (const s of [home, friend]) {
    const section = page.getByTestId(`server-${host(s.url)}`);
    await expect(section.getByTestId('offline-item')).toHaveCount(1);
    await expect(section.getByTestId('offline-item')).toHaveAttribute('data-step', 'synced');
  }
  const storage = page.getByTestId('server-storage');
  await expect(storage.locator('tbody tr')).toHaveCount(2);
  await expect(storage.locator(`tr[data-server="${host(friend.url)}"]`)).toContainText(/\d/);

  // The friend's server goes away; a new item on the home server still arrives in the next run.
  await parkPage(page, home.url);
  friend.built.app.server.closeAllConnections();
  await friend.close();
  friendClosed = true;
  const c = await createJob(home, deviceId, 'Long Walk');
  await waitForStatus(home, c.jobId, c.jobItemId, 'ReadyToTransfer');
  const started = Date.now();
  await sw.dispatchSync();
  const run = await waitForRun(page, started, 60_000);
  await waitForStatus(home, c.jobId, c.jobItemId, 'Synced');
  expect(run.errors.some((e: string) => e.includes(host(friend.url)))).toBe(true);
  const items = await idbAll(page, 'items');
  expect(items.filter((i) => i.step === 'synced')).toHaveLength(3);
});
