/**
 * Camera upload from the installed app: files come from the "Upload photos and videos" picker and from
 * the Web Share Target (a multipart POST to /share-target that the service worker answers), wait in
 * IndexedDB, and the SW uploads them resumably. The large video's upload is cut by the network mid-way
 * and resumes from the server's offset; picking the same video again uploads nothing new; each file is
 * in the library once.
 */
import type { IncomingMessage } from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { ensureAdministrator } from '../../src/server/system/firstRun';
import { makeClip, makeImage, tempDir } from '../helpers/media';
import { signIn, startTestServer, type Session, type TestServer } from '../helpers/server';
import { ADMIN_PASSWORD, ADMIN_USER, APP_DIR, expect, snapshot, test } from './fixtures';
import { idbAll, SwDevtools } from './sw-support';

const CHUNK = 256 * 1024;
let server: TestServer;
let admin: Session;
let files: { photo: string; screenshot: string; video: string };
/** PUTs of upload chunks seen, and which one to cut (the socket is dropped before any answer). */
const puts = { count: 0, accepted: 0, cutAt: 3, cut: false, down: false };

test.use({ demoLibrary: false });
test.beforeAll(async () => {
  const media = tempDir('stowaway-cam-media-');
  const src = tempDir('stowaway-cam-src-');
  const [photo, screenshot, video] = await Promise.all([
    makeImage(src, 'IMG_0001.jpg'),
    makeImage(src, 'Screenshot.png', 'testsrc2=size=200x120'),
    makeClip(src, 'VID_0002.mp4', {
      seconds: 6,
      size: '640x360',
      bitrate: '2M',
    }),
  ]);
  files = { photo, screenshot, video };
  server = await startTestServer({
    appDir: APP_DIR,
    mediaDirs: [media],
    adminUser: ADMIN_USER,
    adminPassword: ADMIN_PASSWORD,
  });
  await ensureAdministrator(server.built.deps);
  await server.built.deps.library.scanner.scan();
  admin = await signIn(server.url, ADMIN_USER, ADMIN_PASSWORD, 'e2e-node');
  server.built.app.server.prependListener('request', (req: IncomingMessage) => {
    if (req.method !== 'PUT' || !/\/Devices\/CameraUploads\/Sessions\//i.test(req.url ?? '')) return;
    ++puts.count;
    if (puts.down) {
      req.socket.destroy();
      return;
    }
    puts.accepted++;
    if (puts.count === puts.cutAt) {
      // Mid-chunk the server goes out of reach until the test brings it back (every retry is dropped too,
      // so Chromium cannot quietly repeat the PUT on a fresh connection): part of the chunk has arrived.
      puts.cut = true;
      puts.down = true;
      setTimeout(() => req.socket.destroy(), 300);
    }
  });
});
test.afterAll(async () => {
  await server?.close();
});

async function setUploadSettings(page: import('@playwright/test').Page, value: Record<string, unknown>) {
  await page.evaluate(
    (v) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('stowaway');
        open.onsuccess = () => {
          const tx = open.result.transaction('meta', 'readwrite');
          tx.objectStore('meta').put({ key: 'uploadSettings', value: v });
          tx.oncomplete = () => {
            open.result.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
        open.onerror = () => reject(open.error);
      }),
    value,
  );
}

test('picked and shared photos and videos upload once, resuming a cut upload', async ({ persistentContext: context }) => {
  const page = context.pages()[0] ?? (await context.newPage());
  const sw = await SwDevtools.attach(context, page, server.url);
  await page.goto(`${server.url}/`);
  await page.getByLabel('User name').fill(ADMIN_USER);
  await page.getByLabel('Password').fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('user-name')).toBeVisible();
  await expect
    .poll(() => page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? null), { timeout: 30_000 })
    .toBe(`${server.url}/sw.js`);
  await expect.poll(async () => (await idbAll(page, 'servers')).length).toBe(1);
  const deviceId = await page.evaluate(() => localStorage.getItem('stowaway.deviceId'));
  await setUploadSettings(page, {
    enabled: true,
    wifiOnly: false,
    chunkSize: CHUNK,
  });

  // The manifest declares the share target the SW answers.
  const manifest = await (await fetch(`${server.url}/manifest.webmanifest`)).json();
  expect(manifest.share_target).toMatchObject({
    action: '/share-target',
    method: 'POST',
    enctype: 'multipart/form-data',
  });

  // Picker: a photo and the large video. The third PUT (a video chunk) loses its connection.
  await page.getByTestId('nav-upload').click();
  await expect(page.getByRole('heading', { name: 'Upload photos and videos' })).toBeVisible();
  await page.getByTestId('upload-picker').setInputFiles([files.photo, files.video]);
  await expect(page.getByTestId('upload-message')).toContainText('2 files queued');
  await expect.poll(() => puts.cut, { timeout: 30_000 }).toBe(true);
  await expect
    .poll(async () => (await idbAll(page, 'meta')).find((r) => r.key === 'lastUploadRun')?.value?.skipped ?? null)
    .toBe('offline');
  const cutRow = (await idbAll(page, 'uploads')).find((r) => r.name === 'VID_0002.mp4');
  expect(cutRow.state).toBe('uploading');
  expect(cutRow.offset).toBeGreaterThan(0);
  puts.down = false;

  // Share sheet: the OS posts multipart form data to /share-target; the SW queues it and redirects to /upload.
  await page.evaluate(
    async (png: number[]) => {
      const form = document.createElement('form');
      form.method = 'POST';
      form.action = '/share-target';
      form.enctype = 'multipart/form-data';
      const input = document.createElement('input');
      input.type = 'file';
      input.name = 'media';
      const dt = new DataTransfer();
      dt.items.add(
        new File([new Uint8Array(png)], 'Screenshot.png', {
          type: 'image/png',
          lastModified: Date.UTC(2026, 0, 5),
        }),
      );
      input.files = dt.files;
      form.append(input);
      document.body.append(form);
      form.submit();
    },
    [...fs.readFileSync(files.screenshot)],
  );
  await expect(page).toHaveURL(/\/upload\?shared=1$/);
  await expect(page.getByTestId('upload-message')).toContainText('1 shared file queued');

  // The server is back: the next run (a one-off Background Sync here) resumes the video where the server is.
  await sw.dispatchSync();
  await expect
    .poll(async () => (await idbAll(page, 'uploads')).map((r) => `${r.name}:${r.state}`).sort(), { timeout: 30_000 })
    .toEqual(['IMG_0001.jpg:done', 'Screenshot.png:done', 'VID_0002.mp4:done']);
  await expect(page.getByTestId('upload-row')).toHaveCount(3);
  // Done: the "queued" message gives way to where the uploads appear.
  await expect(page.getByTestId('upload-message')).toHaveCount(0);
  await expect(page.getByTestId('upload-finished')).toContainText('They appear in Camera uploads');
  await snapshot(page, '40-camera-upload');
  const video = fs.readFileSync(files.video);
  // Photo 1 + screenshot 1 + every video chunk once + the cut one (+1 when the cut split a chunk): no restart from 0.
  expect(puts.accepted).toBeLessThanOrEqual(Math.ceil(video.length / CHUNK) + 4);
  expect(
    fs
      .readFileSync(
        path.join(
          server.dataDir,
          'camera-uploads',
          ADMIN_USER,
          fs.readdirSync(path.join(server.dataDir, 'camera-uploads', ADMIN_USER))[0]!,
          new Date().toISOString().slice(0, 7),
          'Videos',
          'VID_0002.mp4',
        ),
      )
      .equals(video),
  ).toBe(true);

  // Picked again (a retry): the server already has it; nothing is stored twice.
  await page.getByTestId('upload-picker').setInputFiles([files.video]);
  await expect
    .poll(async () =>
      (await idbAll(page, 'uploads'))
        .filter((r) => r.name === 'VID_0002.mp4')
        .map((r) => `${r.state}:${r.duplicate ?? false}`)
        .sort(),
    )
    .toEqual(['done:false', 'done:true']);

  const history = await admin.json('GET', `/Devices/CameraUploads?DeviceId=${deviceId}`);
  expect(history.FilesUploaded.map((f: any) => f.Name).sort()).toEqual(['IMG_0001.jpg', 'Screenshot.png', 'VID_0002.mp4']);
  const stored = fs.readdirSync(path.join(server.dataDir, 'camera-uploads', ADMIN_USER), { recursive: true }) as string[];
  expect(stored.filter((f) => /\.(jpg|png|mp4)$/.test(f))).toHaveLength(3);
  await expect
    .poll(async () => {
      const res = await admin.json('GET', `/Users/${admin.userId}/Items?Recursive=true&IncludeItemTypes=Photo,Movie,Video`);
      return res.Items.map((i: any) => i.Name).sort();
    })
    .toEqual(['IMG_0001', 'Screenshot', 'VID 0002']);

  // …and they are where the page said: the user's Camera uploads view.
  await page.getByTestId('upload-finished').getByRole('link', { name: 'Camera uploads' }).click();
  await expect(page.getByTestId('camera-uploads').getByRole('link')).toHaveCount(3);
  await expect(page.getByTestId('camera-uploads-count')).toHaveText('3 items');
});
