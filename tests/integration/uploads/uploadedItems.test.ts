/**
 * GET /Users/{id}/CameraUploads (ours): what a user uploaded, as library items after the scan, newest
 * first and paged — the "Camera uploads" view the upload page promises. Another user's uploads never show.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAdministrator } from '../../../src/server/system/firstRun.js';
import { makeClip, makeImage, tempDir } from '../../helpers/media.js';
import { authHeader, createUser, signIn, startTestServer, type Session, type TestServer } from '../../helpers/server.js';

let server: TestServer;
let admin: Session;
let ann: Session;
let media: string;
let src: string;

async function upload(s: Session, file: string, name: string, type: string): Promise<void> {
  const res = await fetch(`${server.url}/Devices/CameraUploads?DeviceId=${s.deviceId}&Name=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { 'x-emby-authorization': authHeader(s.deviceId, s.token), 'content-type': type },
    body: new Uint8Array(fs.readFileSync(file)),
  });
  expect(res.status).toBe(204);
}

interface Page {
  Items: Array<{ Name: string; Type: string }>;
  TotalRecordCount: number;
}

beforeAll(async () => {
  media = tempDir('stowaway-uploaded-media-');
  src = tempDir('stowaway-uploaded-src-');
  server = await startTestServer({ mediaDirs: [media], adminUser: 'admin', adminPassword: 'pw' });
  await ensureAdministrator(server.built.deps);
  admin = await signIn(server.url, 'admin', 'pw', 'admin-phone');
  ann = await createUser(server.url, admin, 'ann', 'ann-pw');
  const [photo, other, clip] = await Promise.all([
    makeImage(src, 'photo.jpg'),
    makeImage(src, 'other.png', 'testsrc2=size=160x120'),
    makeClip(src, 'clip.mp4', { seconds: 2 }),
  ]);
  // One at a time, so their library dates (the scan's insertion order) follow the upload order.
  await upload(admin, photo, 'first.jpg', 'image/jpeg');
  await server.built.deps.library.scanner.scan();
  await upload(admin, clip, 'second.mp4', 'video/mp4');
  await upload(ann, other, 'anns.png', 'image/png');
  await server.built.deps.library.scanner.scan();
}, 120_000);

afterAll(async () => {
  await server?.close();
  fs.rmSync(media, { recursive: true, force: true });
  fs.rmSync(src, { recursive: true, force: true });
});

describe('camera uploads as a view per user', () => {
  it("lists the caller's uploaded photos and videos, newest first, and none of another user's", async () => {
    const mine = (await admin.json('GET', `/Users/${admin.userId}/CameraUploads`)) as Page;
    expect(mine.Items.map((i) => i.Name)).toEqual(['second', 'first']);
    expect(mine.TotalRecordCount).toBe(2);
    const theirs = (await ann.json('GET', `/Users/${ann.userId}/CameraUploads`)) as Page;
    expect(theirs.Items.map((i) => i.Name)).toEqual(['anns']);
  });

  it('pages with StartIndex and Limit, counting the whole list', async () => {
    const page = (await admin.json('GET', `/Users/${admin.userId}/CameraUploads?StartIndex=1&Limit=1`)) as Page;
    expect(page.Items.map((i) => i.Name)).toEqual(['first']);
    expect(page.TotalRecordCount).toBe(2);
  });

  it("refuses another user's list to a non-administrator (403)", async () => {
    const res = await ann.req('GET', `/Users/${admin.userId}/CameraUploads`);
    expect(res.status).toBe(403);
  });
});
