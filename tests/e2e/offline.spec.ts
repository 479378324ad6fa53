/**
 * The installed shell works with no network: the service worker registers, precaches the app, and a
 * reload while offline is answered from its cache. Uses its own Chromium profile (README §3) so no
 * earlier registration or cache can make this pass by accident.
 */
import { expect, snapshot, test } from './fixtures';

test.use({ demoLibrary: false });

test('the service worker precaches the shell and serves it offline', async ({ persistentContext, server }) => {
  const page = persistentContext.pages()[0] ?? (await persistentContext.newPage());
  await page.goto(`${server.url}/`);
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();

  // Installed means precached (install waits for the precache); claimed means this page is controlled.
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
  expect(scope).toBe(`${server.url}/`);
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? null)).toBe(`${server.url}/sw.js`);
  const cached = await page.evaluate(async () => {
    const urls: string[] = [];
    for (const name of await caches.keys()) for (const req of await (await caches.open(name)).keys()) urls.push(new URL(req.url).pathname);
    return urls;
  });
  expect(cached).toContain('/index.html');
  expect(cached.some((u) => /^\/assets\/index-.*\.js$/.test(u))).toBe(true);

  await persistentContext.setOffline(true);
  try {
    const response = await page.reload();
    expect(response?.fromServiceWorker()).toBe(true);
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();

    // A deep link (client-side route) is answered with the shell too, which then routes to sign-in.
    const deep = await page.goto(`${server.url}/item/0123456789abcdef0123456789abcdef`);
    expect(deep?.fromServiceWorker()).toBe(true);
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
    // The icon comes from the precache too: an image that loaded has a natural width.
    const icon = page.locator('.signin-brand img');
    await expect.poll(() => icon.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    await snapshot(page, '10-offline-shell');
  } finally {
    await persistentContext.setOffline(false);
  }
});
