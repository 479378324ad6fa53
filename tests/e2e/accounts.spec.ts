/**
 * Issue 15 §5 and §6 on a phone (390 × 844, touch): this device gets a distinct name that a person can
 * change and that survives the next sign-in; a user changes their password (other sessions end; the
 * generated first password is asked for first); an administrator sets a password, disables and deletes a
 * user, each confirmed, with focus back on the opener when a dialog closes with Escape.
 */
import type { Page } from '@playwright/test';
import { signIn } from '../helpers/server';
import { ADMIN_PASSWORD, ADMIN_USER, expect, snapshot, test } from './fixtures';
import { expectNoSidewaysScroll, expectNothingCoversButtons, openFromMore, phoneContext } from './phone';
import { signInAndWaitForWorker, startSwServer, type SwServer } from './sw-support';

let server: SwServer;
let phone: Awaited<ReturnType<typeof phoneContext>>;
let page: Page;

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

async function signInAs(name: string, password: string): Promise<void> {
  await page.getByLabel('User name').fill(name);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).tap();
}

/** On a phone Sign out sits under More (the tab bar replaced the header's account). */
async function signOut(): Promise<void> {
  await page.getByTestId('tab-more').tap();
  await page.getByRole('dialog', { name: 'More' }).getByRole('button', { name: 'Sign out' }).tap();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
}

test('this device: a distinct name, renamed, kept across the next sign-in and used in "Sync to"', async () => {
  const deviceId = await signInAndWaitForWorker(page, server);
  await openFromMore(page, 'account');
  const row = page.locator(`[data-device-id="${deviceId}"]`);
  await expect(row.getByTestId('device-name')).toHaveText(`Chrome on Android · ${deviceId.slice(-3).toUpperCase()}`);
  await expect(row).toContainText('This device');
  await expect(row.getByTestId('device-last-seen')).toHaveText('Seen just now');

  await row.getByRole('button', { name: 'Rename' }).tap();
  await row.getByRole('textbox').fill('Kitchen phone');
  await row.getByRole('button', { name: 'Save' }).tap();
  await expect(row.getByTestId('device-name')).toHaveText('Kitchen phone');
  await expect(row).toContainText(`Chrome on Android · ${deviceId.slice(-3).toUpperCase()}`);
  expect((await server.admin.json('GET', `/Devices/Info?Id=${deviceId}`)).Name).toBe('Kitchen phone');
  await expectNothingCoversButtons(page);
  await expectNoSidewaysScroll(page);
  await snapshot(page, '70-phone-account-devices');

  await signOut();
  await signInAs(ADMIN_USER, ADMIN_PASSWORD);
  await openFromMore(page, 'account');
  await expect(page.locator(`[data-device-id="${deviceId}"]`).getByTestId('device-name')).toHaveText('Kitchen phone');

  await page.goto(`${server.url}/item/${server.ids['Short Hop']}`);
  await page.getByTestId('sync-button').tap();
  const dialog = page.getByTestId('sync-dialog');
  await expect(dialog.getByLabel('Sync to')).toContainText('Kitchen phone (this device)');
  await dialog.getByRole('button', { name: 'Cancel' }).tap();
});

test('my password: the generated one is asked for first; changing it ends my other sessions', async () => {
  const pat = await server.admin.json<{ Id: string }>('POST', '/Users/New', { Name: 'pat', Password: 'first-pw' });
  server.built.deps.users.setMustChangePassword(pat.Id, true);
  const laptop = await signIn(server.url, 'pat', 'first-pw', 'pat-laptop');

  await signOut();
  await signInAs('pat', 'first-pw');
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByTestId('must-change-password')).toBeVisible();
  await page.getByRole('link', { name: 'Stowaway home' }).tap();
  await expect(page).toHaveURL(/\/account$/); // nothing else until it is changed
  await expectNothingCoversButtons(page);
  await snapshot(page, '71-phone-must-change-password');

  const form = page.getByTestId('change-password');
  await form.getByLabel('Current password').fill('first-pw');
  await form.getByLabel('New password', { exact: true }).fill('second-pw');
  await form.getByLabel('New password again').fill('second-pw');
  await form.getByRole('button', { name: 'Change password' }).tap();
  await expect(page.getByTestId('password-changed')).toBeVisible();
  await expect(page.getByTestId('must-change-password')).toHaveCount(0);
  expect((await laptop.req('GET', '/System/Info')).status).toBe(401);

  await page.getByRole('link', { name: 'Stowaway home' }).tap();
  await expect(page).toHaveURL(`${server.url}/`);
  await signOut();
  await signInAs('pat', 'second-pw');
  await page.getByTestId('tab-more').tap();
  await expect(page.getByRole('dialog', { name: 'More' }).getByTestId('more-user-name')).toHaveText('pat');
  await page.keyboard.press('Escape');
});

test('an administrator sets a password, disables and deletes a user, each confirmed', async () => {
  await signOut();
  await signInAs(ADMIN_USER, ADMIN_PASSWORD);
  await openFromMore(page, 'admin');
  await page.getByRole('navigation', { name: 'Dashboard' }).getByRole('link', { name: 'Users' }).tap();
  const row = page.getByTestId('accounts').locator('[data-user="pat"]');
  const setPassword = row.getByRole('button', { name: 'Set password…' });

  await test.step('Escape closes the dialog and gives focus back to the button that opened it', async () => {
    await setPassword.tap();
    await expect(page.getByRole('dialog', { name: 'New password for pat' })).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await expect(setPassword).toBeFocused();
  });

  await setPassword.tap();
  const dialog = page.getByRole('dialog', { name: 'New password for pat' });
  await dialog.getByLabel('New password').fill('third-pw');
  await dialog.getByLabel('Again').fill('third-pw');
  await snapshot(page, '72-phone-admin-set-password');
  await dialog.getByRole('button', { name: 'Set password' }).tap();
  await expect(row).toContainText('pat has a new password.');
  await signIn(server.url, 'pat', 'third-pw', 'pat-check');

  await row.getByRole('button', { name: 'Disable…' }).tap();
  await page.getByRole('dialog', { name: 'Disable pat?' }).getByRole('button', { name: 'Disable' }).tap();
  await expect(row.getByTestId('user-disabled')).toBeVisible();
  await expect(row).toContainText('pat can no longer sign in.');
  await expect(signIn(server.url, 'pat', 'third-pw', 'pat-check')).rejects.toThrow();
  await expectNothingCoversButtons(page);
  await expectNoSidewaysScroll(page);
  await snapshot(page, '73-phone-admin-users');

  await row.getByRole('button', { name: 'Delete…' }).tap();
  await page.getByRole('dialog', { name: 'Delete pat?' }).getByRole('button', { name: 'Delete user' }).tap();
  await expect(page.getByTestId('accounts').locator('[data-user="pat"]')).toHaveCount(0);
  const users = await server.admin.json<Array<{ Name: string }>>('GET', '/Users');
  expect(users.map((u) => u.Name)).not.toContain('pat');
});
