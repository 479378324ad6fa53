/**
 * Support for the service-worker sync specs (tests/e2e/sw-*.spec.ts):
 *   - a real server over a small generated library (a 2 Mbps CBR movie with an SRT sidecar, so its file
 *     spans many chunks, and a second movie);
 *   - a byte counter per job item and a "network cut" switch, installed at the Node HTTP layer
 *     (prepended `request` listener that wraps `res.write`) because Fastify accepts no hooks after
 *     listen — no server code changes;
 *   - the DevTools-protocol handles for firing SW events (README §3): ServiceWorker.enable before
 *     navigation, registrationId from workerRegistrationUpdated, dispatchSyncEvent /
 *     dispatchPeriodicSyncEvent, Browser.setPermission for periodic-background-sync;
 *   - reading the app's IndexedDB from the page with the raw API (the test never imports Dexie).
 */
import type { BrowserContext, CDPSession, Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { ensureAdministrator } from '../../src/server/system/firstRun';
import { makeClip, makeSrt, tempDir } from '../helpers/media';
import { signIn, startTestServer, type Session, type TestServer } from '../helpers/server';
import { ADMIN_PASSWORD, ADMIN_USER, APP_DIR, assertTestBuild, expect } from './fixtures';
import { FileTraffic } from './sw-traffic';

export { FileTraffic };

export interface SwServer extends TestServer {
  media: string;
  admin: Session;
  ids: Record<string, string>;
  traffic: FileTraffic;
}

export async function startSwServer(): Promise<SwServer> {
  assertTestBuild();
  const media = tempDir('stowaway-sw-media-');
  const movies = path.join(media, 'Movies');
  fs.mkdirSync(movies, { recursive: true });
  await Promise.all([
    // 8 s at a constant 2 Mbps ≈ 2 MB: many 128 KiB chunks, so "cut at 40 %" lands mid-file.
    makeClip(movies, 'Long Walk (2020).mp4', {
      seconds: 8,
      size: '640x360',
      bitrate: '2M',
    }),
    makeClip(movies, 'Short Hop (2021).mp4', {
      seconds: 3,
      size: '320x180',
      bitrate: '1M',
    }),
  ]);
  makeSrt(movies, 'Long Walk (2020).en.srt', 'Words on a long walk.');
  const server = await startTestServer({
    appDir: APP_DIR,
    mediaDirs: [media],
    adminUser: ADMIN_USER,
    adminPassword: ADMIN_PASSWORD,
  });
  await ensureAdministrator(server.built.deps);
  await server.built.deps.library.scanner.scan();
  const traffic = new FileTraffic();
  traffic.install(server.built.app.server);
  const admin = await signIn(server.url, ADMIN_USER, ADMIN_PASSWORD, 'e2e-node');
  const rows = server.built.deps.db.prepare('SELECT id, name FROM items').all() as { id: string; name: string }[];
  const ids = Object.fromEntries(rows.map((r) => [r.name, r.id]));
  return {
    ...server,
    media,
    admin,
    ids,
    traffic,
    close: async () => {
      await server.close();
      fs.rmSync(media, { recursive: true, force: true });
    },
  };
}

/** DevTools handles for the page's service worker. Create before the first navigation. */
export class SwDevtools {
  private registrationId?: string;

  private constructor(
    readonly cdp: CDPSession,
    private readonly origin: string,
  ) {}

  static async attach(context: BrowserContext, page: Page, origin: string): Promise<SwDevtools> {
    const cdp = await context.newCDPSession(page);
    const tools = new SwDevtools(cdp, origin);
    cdp.on(
      'ServiceWorker.workerRegistrationUpdated',
      (e: {
        registrations: Array<{
          registrationId: string;
          scopeURL: string;
          isDeleted: boolean;
        }>;
      }) => {
        for (const r of e.registrations) if (r.scopeURL === `${origin}/` && !r.isDeleted) tools.registrationId = r.registrationId;
      },
    );
    await cdp.send('ServiceWorker.enable');
    try {
      // Playwright has no name for this permission; Chromium's DevTools protocol does.
      await cdp.send('Browser.setPermission', {
        permission: { name: 'periodic-background-sync' },
        setting: 'granted',
        origin,
      });
    } catch (err) {
      console.warn('could not grant periodic-background-sync', err);
    }
    return tools;
  }

  async registration(): Promise<string> {
    await expect.poll(() => this.registrationId ?? null, { timeout: 30_000 }).not.toBeNull();
    return this.registrationId!;
  }

  async dispatchSync(tag = 'stowaway-sync', lastChance = false): Promise<void> {
    await this.cdp.send('ServiceWorker.dispatchSyncEvent', {
      origin: this.origin,
      registrationId: await this.registration(),
      tag,
      lastChance,
    });
  }

  async dispatchPeriodicSync(tag = 'stowaway-periodic'): Promise<void> {
    await this.cdp.send('ServiceWorker.dispatchPeriodicSyncEvent', {
      origin: this.origin,
      registrationId: await this.registration(),
      tag,
    });
  }
}

/** Signs in through the form, waits for a controlling SW and the device being a sync target. */
export async function signInAndWaitForWorker(page: Page, server: SwServer): Promise<string> {
  await page.goto(`${server.url}/`);
  await page.getByLabel('User name').fill(ADMIN_USER);
  await page.getByLabel('Password').fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // Signed in: the header's user name on a desktop, the tab bar on a phone.
  await expect(page.getByTestId('user-name').or(page.getByTestId('tab-bar')).filter({ visible: true })).toBeVisible();
  await expect
    .poll(() => page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? null), { timeout: 30_000 })
    .toBe(`${server.url}/sw.js`);
  const deviceId = await page.evaluate(() => localStorage.getItem('stowaway.deviceId'));
  expect(deviceId).toBeTruthy();
  await expect
    .poll(
      async () =>
        ((await server.admin.json('GET', `/Sync/Targets?UserId=${server.admin.userId}`)) as Array<{ Id: string }>).some(
          (t) => t.Id === deviceId,
        ),
      {
        timeout: 30_000,
      },
    )
    .toBe(true);
  // The session reaches the SW's Dexie table asynchronously after sign-in.
  await expect.poll(() => idbAll(page, 'servers').then((rows) => rows.length)).toBeGreaterThan(0);
  return deviceId!;
}

/** Sends a message to the active service worker (test-config, sync, pause …). */
export async function messageWorker(page: Page, message: unknown): Promise<void> {
  await page.evaluate(async (msg) => {
    const reg = await navigator.serviceWorker.ready;
    reg.active!.postMessage(msg);
  }, message);
}

/** Every row of one object store of the app's database, read with the raw IndexedDB API. */
export async function idbAll<T = any>(page: Page, store: string): Promise<T[]> {
  return page.evaluate(
    (name) =>
      new Promise<any[]>((resolve, reject) => {
        const open = indexedDB.open('stowaway');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains(name)) {
            db.close();
            return resolve([]);
          }
          const req = db.transaction(name, 'readonly').objectStore(name).getAll();
          req.onsuccess = () => {
            // Chunks are large: report their sizes, not their bytes.
            resolve(req.result.map((r: any) => (r && r.data instanceof ArrayBuffer ? { ...r, data: r.data.byteLength } : r)));
            db.close();
          };
          req.onerror = () => reject(req.error);
        };
      }),
    store,
  ) as Promise<T[]>;
}

export async function createJob(
  server: SwServer,
  targetId: string,
  itemName: string,
  extra: Record<string, unknown> = {},
): Promise<{ jobId: string; jobItemId: string }> {
  const res = await server.admin.json('POST', '/Sync/Jobs', {
    TargetId: targetId,
    ItemIds: [server.ids[itemName]],
    Quality: 'original',
    ...extra,
  });
  return { jobId: res.Job.Id, jobItemId: res.JobItems[0].Id };
}

export async function jobItem(server: SwServer, jobItemId: string, jobId: string): Promise<any> {
  const list = await server.admin.json('GET', `/Sync/JobItems?JobId=${jobId}`);
  return list.Items.find((i: any) => i.Id === jobItemId);
}

export async function waitForStatus(server: SwServer, jobId: string, jobItemId: string, status: string, timeout = 60_000): Promise<any> {
  await expect
    .poll(async () => (await jobItem(server, jobItemId, jobId))?.Status, {
      timeout,
    })
    .toBe(status);
  return jobItem(server, jobItemId, jobId);
}

/**
 * Waits until the item is ready to download or already past it: a page of the app left open downloads
 * on the server's push, so ReadyToTransfer alone can pass between two polls.
 */
export async function waitUntilReady(server: SwServer, jobId: string, jobItemId: string, timeout = 60_000): Promise<void> {
  await expect
    .poll(async () => (await jobItem(server, jobItemId, jobId))?.Status, { timeout })
    .toMatch(/^(ReadyToTransfer|Transferring|Synced)$/);
}

/**
 * Leaves the app for a same-origin page without app code (answered by the SW, so it works offline too):
 * no foreground runs are triggered from it, yet the test can still read the origin's IndexedDB.
 */
export async function parkPage(page: Page, origin: string): Promise<void> {
  await page.goto(`${origin}/offline/images/parked/page/here`);
}

/** Waits for a sync run that finished after `since` (the SW stores each run's summary in meta.lastRun). */
export async function waitForRun(page: Page, since: number, timeout = 30_000): Promise<any> {
  let summary: any;
  await expect
    .poll(
      async () => {
        summary = (await idbAll(page, 'meta')).find((r) => r.key === 'lastRun')?.value;
        return (summary?.finishedAt ?? 0) > since;
      },
      { timeout },
    )
    .toBe(true);
  return summary;
}
