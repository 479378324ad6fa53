/** Shared steps for the sync UI specs: sign in and wait for the demo library, and the page's own API session. */
import type { Page } from '@playwright/test';
import { sessionFor, type Session } from '../helpers/server';
import { expect, signInThroughPage, type StowawayServer } from './fixtures';

export const LIBRARY_READY_TIMEOUT = 150_000;

/** Signs in through the form and waits until the demo library's views are listed. */
export async function signInAndWaitForLibrary(
  page: Page,
  server: StowawayServer,
  user?: { name: string; password: string },
): Promise<void> {
  await signInThroughPage(page, user ? { ...server, user: user.name, password: user.password } : server);
  const views = page.getByTestId('views').getByRole('link');
  await expect(async () => {
    if ((await views.count()) === 0) await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(views.first()).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: LIBRARY_READY_TIMEOUT, intervals: [2_000] });
}

/** The API session the page itself holds (its token and device id), for arranging and checking state. */
export async function pageSession(page: Page, server: StowawayServer): Promise<Session> {
  const stored = await page.evaluate(() => localStorage.getItem('stowaway.sessions'));
  const s = (JSON.parse(stored ?? '[]') as Array<{ token: string; userId: string; deviceId: string }>).at(-1);
  if (!s) throw new Error('the page holds no session');
  return sessionFor(server.url, s.token, s.userId, s.deviceId);
}

/** This browser must be a sync target before the dialog can offer it. */
export async function waitForSyncTarget(api: Session): Promise<void> {
  await expect
    .poll(
      async () =>
        ((await api.json('GET', `/Sync/Targets?UserId=${api.userId}`)) as Array<{ Id: string }>).some((t) => t.Id === api.deviceId),
      {
        timeout: 15_000,
      },
    )
    .toBe(true);
}

/** Opens a view from Home by name, then the poster with the given title. */
export async function openItem(page: Page, view: RegExp, title: string): Promise<void> {
  await page.getByRole('link', { name: 'Stowaway home' }).click();
  await page.getByTestId('views').getByRole('link', { name: view }).first().click();
  await page.getByTestId('items').getByRole('link', { name: title }).first().click();
  await expect(page.getByTestId('item-name')).toHaveText(title);
}
