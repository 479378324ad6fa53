/**
 * E2E fixtures: a real Stowaway server per spec file (temp data dir, port 0, the built app from dist/app,
 * a known administrator), started in-process through buildApp — faster than spawning `tsx main.ts`, and the
 * test can reach the server's deps. `test` from here replaces @playwright/test's in every spec.
 */
import { test as base, chromium, expect, type BrowserContext, type Page } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureAdministrator } from '../../src/server/system/firstRun';
import { startTestServer, type TestServer } from '../helpers/server';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './browser';

export const ADMIN_USER = 'admin';
export const ADMIN_PASSWORD = 'e2e-password';
export const APP_DIR = path.resolve('dist/app');
export const ARTIFACTS_DIR = path.resolve('tests/e2e/artifacts');

export interface StowawayServer extends TestServer {
  user: string;
  password: string;
}

/** The specs drive the service worker's test hooks (sw/sync/testHooks.ts), which production builds leave out. */
export function assertTestBuild(): void {
  if (!fs.existsSync(path.join(APP_DIR, 'index.html')) || !fs.existsSync(path.join(APP_DIR, 'sw.js'))) {
    throw new Error('dist/app is not built: run `node scripts/build.mjs --test-hooks` first (`npm run test:e2e` does).');
  }
  if (!fs.readFileSync(path.join(APP_DIR, 'sw.js'), 'utf8').includes('test-config')) {
    throw new Error('dist/app was built for production (no service-worker test hooks): run `node scripts/build.mjs --test-hooks`.');
  }
}

async function startServer(demoLibrary: boolean): Promise<StowawayServer> {
  assertTestBuild();
  const server = await startTestServer({ appDir: APP_DIR, mediaDirs: [], adminUser: ADMIN_USER, adminPassword: ADMIN_PASSWORD });
  await ensureAdministrator(server.built.deps);
  // Not awaited: generating the demo library takes up to a minute and the UI must cope with "not yet".
  const background = demoLibrary
    ? server.built.deps.startBackground?.().catch((err: unknown) => console.error('background start failed', err))
    : undefined;
  return {
    ...server,
    user: ADMIN_USER,
    password: ADMIN_PASSWORD,
    // Closing mid-generation would delete the data dir under ffmpeg's feet; let the start finish first.
    close: async () => {
      await background;
      await server.close();
    },
  };
}

/** One server per spec file: started for the file's first test, closed when the next file begins. */
class ServerPerFile {
  private current?: { file: string; server: Promise<StowawayServer> };

  async forFile(file: string, demoLibrary: boolean): Promise<StowawayServer> {
    if (this.current?.file !== file) {
      await this.close();
      this.current = { file, server: startServer(demoLibrary) };
    }
    return this.current.server;
  }

  async close(): Promise<void> {
    const previous = this.current;
    this.current = undefined;
    if (previous) await (await previous.server).close();
  }
}

export const test = base.extend<
  { server: StowawayServer; persistentContext: BrowserContext; demoLibrary: boolean },
  { serverPerFile: ServerPerFile }
>({
  /** `test.use({ demoLibrary: false })` in a file that needs no media: no ffmpeg work for its server. */
  demoLibrary: [true, { option: true }],
  serverPerFile: [
    async ({}, use) => {
      const pool = new ServerPerFile();
      await use(pool);
      await pool.close();
    },
    { scope: 'worker' },
  ],
  server: async ({ serverPerFile, demoLibrary }, use, testInfo) => {
    await use(await serverPerFile.forFile(testInfo.file, demoLibrary));
  },
  /**
   * A Chromium with its own fresh profile dir, for service-worker tests (README §3): SW registrations
   * and caches must start empty, and the profile dir must never come through --user-data-dir in args.
   */
  persistentContext: async ({}, use) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stowaway-e2e-profile-'));
    const context = await chromium.launchPersistentContext(dir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 800 },
    });
    try {
      await use(context);
    } finally {
      await context.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
});

export { expect };

/** Screenshots for people to look at (git-ignored); named by step, overwritten each run. */
export async function snapshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS_DIR, `${name}.png`), fullPage: true });
}

/** Fills and submits the sign-in form as a person would. */
export async function signInThroughPage(page: Page, server: StowawayServer): Promise<void> {
  await page.goto(`${server.url}/`);
  await expect(page.getByRole('heading', { name: 'Stowaway' })).toBeVisible();
  await expect(page.getByLabel('Server address')).toHaveValue(server.url);
  await page.getByLabel('User name').fill(server.user);
  await page.getByLabel('Password').fill(server.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}
