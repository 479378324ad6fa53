import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAdministrator } from '../../../src/server/system/firstRun.js';
import { makeClip, makeImage, tempDir } from '../../helpers/media.js';
import { authHeader, createUser, signIn, startTestServer, type Session, type TestServer } from '../../helpers/server.js';

const MAX = 3 * 1024 * 1024;
let server: TestServer;
let admin: Session;
let media: string;
let jpeg: Buffer;
let png: Buffer;
let video: Buffer;
const root = () => path.join(server.dataDir, 'camera-uploads');
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  media = tempDir('stowaway-upload-media-');
  const src = tempDir('stowaway-upload-src-');
  const [j, p, v] = await Promise.all([
    makeImage(src, 'photo.jpg'),
    makeImage(src, 'shot.png', 'testsrc2=size=160x120'),
    makeClip(src, 'clip.mp4', { seconds: 4, size: '640x360', bitrate: '2M' }),
  ]);
  [jpeg, png, video] = [fs.readFileSync(j), fs.readFileSync(p), fs.readFileSync(v)];
  server = await startTestServer({
    mediaDirs: [media],
    adminUser: 'admin',
    adminPassword: 'pw',
    maxUploadBytes: MAX,
  });
  await ensureAdministrator(server.built.deps);
  await server.built.deps.library.scanner.scan();
  admin = await signIn(server.url, 'admin', 'pw', 'phone-1');
}, 60_000);

afterAll(async () => {
  await server?.close();
  fs.rmSync(media, { recursive: true, force: true });
});

function putChunk(s: Session, uploadId: string, start: number, chunk: Buffer, total: number) {
  return fetch(`${server.url}/Devices/CameraUploads/Sessions/${uploadId}`, {
    method: 'PUT',
    headers: {
      'x-emby-authorization': authHeader(s.deviceId, s.token),
      'content-type': 'application/octet-stream',
      'content-range': `bytes ${start}-${start + chunk.length - 1}/${total}`,
    },
    body: new Uint8Array(chunk),
  });
}

async function history(s: Session) {
  return (await s.json('GET', `/Devices/CameraUploads?DeviceId=${s.deviceId}`)) as { DeviceId: string; FilesUploaded: any[] };
}

describe('camera upload', () => {
  it('stores a small photo sent whole (Emby POST) under user/device/album and lists it in the device history', async () => {
    const res = await fetch(
      `${server.url}/Devices/CameraUploads?DeviceId=phone-1&Album=Holiday&Name=beach.jpg&Id=local-1&Date=2026-01-02T10:00:00Z`,
      {
        method: 'POST',
        headers: {
          'x-emby-authorization': authHeader('phone-1', admin.token),
          'content-type': 'image/jpeg',
        },
        body: new Uint8Array(jpeg),
      },
    );
    expect(res.status).toBe(204);
    const stored = path.join(root(), 'admin', 'Test Device', 'Holiday', 'beach.jpg');
    expect(fs.readFileSync(stored).equals(jpeg)).toBe(true);
    const h = await history(admin);
    expect(h.DeviceId).toBe('phone-1');
    expect(h.FilesUploaded).toEqual([
      expect.objectContaining({
        Name: 'beach.jpg',
        Id: 'local-1',
        Album: 'Holiday',
        MimeType: 'image/jpeg',
        Size: jpeg.length,
        Sha256: sha(jpeg),
      }),
    ]);
    // Nothing is left under a temp name.
    expect(fs.readdirSync(path.join(root(), '.incoming'))).toEqual([]);
  });

  it('does not store a file twice: same content under another name, or same name + size + date', async () => {
    const again = await fetch(`${server.url}/Devices/CameraUploads?DeviceId=phone-1&Name=copy-of-beach.jpg`, {
      method: 'POST',
      headers: {
        'x-emby-authorization': authHeader('phone-1', admin.token),
        'content-type': 'image/jpeg',
      },
      body: new Uint8Array(jpeg),
    });
    expect(again.status).toBe(204);
    expect(again.headers.get('x-upload-duplicate')).toBe('true');
    const session = await admin.json('POST', '/Devices/CameraUploads/Sessions', {
      DeviceId: 'phone-1',
      Name: 'beach.jpg',
      Size: jpeg.length,
      Date: '2026-01-02T10:00:00.000Z',
      MimeType: 'image/jpeg',
    });
    expect(session).toMatchObject({
      Status: 'Complete',
      Duplicate: true,
      Offset: jpeg.length,
    });
    expect((await history(admin)).FilesUploaded).toHaveLength(1);
    expect(fs.readdirSync(path.join(root(), 'admin', 'Test Device', 'Holiday'))).toEqual(['beach.jpg']);
  });

  it('uploads a large video in chunks, survives a chunk broken off mid-body, and resumes from the offset the server holds', async () => {
    const created = await admin.json('POST', '/Devices/CameraUploads/Sessions', {
      DeviceId: 'phone-1',
      Name: 'walk.mp4',
      Size: video.length,
      Date: '2026-02-03T09:00:00Z',
      MimeType: 'video/mp4',
      Sha256: sha(video),
    });
    expect(created).toMatchObject({
      Status: 'Uploading',
      Offset: 0,
      Duplicate: false,
    });
    const id: string = created.UploadId;
    const CHUNK = 256 * 1024;
    const first = await putChunk(admin, id, 0, video.subarray(0, CHUNK), video.length);
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({
      Offset: CHUNK,
      Status: 'Uploading',
    });

    // The second chunk: half of it is sent, then the connection drops.
    const cut = CHUNK + CHUNK / 2;
    await new Promise<void>((resolve) => {
      const req = http.request(`${server.url}/Devices/CameraUploads/Sessions/${id}`, {
        method: 'PUT',
        headers: {
          'x-emby-authorization': authHeader('phone-1', admin.token),
          'content-type': 'application/octet-stream',
          'content-range': `bytes ${CHUNK}-${2 * CHUNK - 1}/${video.length}`,
          'content-length': String(CHUNK),
        },
      });
      req.on('error', () => resolve());
      req.write(video.subarray(CHUNK, cut), () =>
        setTimeout(() => {
          req.destroy();
          resolve();
        }, 200),
      );
    });
    let offset = 0;
    await expect
      .poll(async () => {
        const res = await admin.req('HEAD', `/Devices/CameraUploads/Sessions/${id}`);
        offset = Number(res.headers.get('upload-offset'));
        return offset;
      })
      .toBeGreaterThan(CHUNK);
    expect(offset).toBeLessThanOrEqual(cut);

    // Resume exactly there, in chunks, to the end.
    let last: any;
    for (let at = offset; at < video.length; at += CHUNK) {
      const res = await putChunk(admin, id, at, video.subarray(at, Math.min(video.length, at + CHUNK)), video.length);
      expect(res.status).toBe(200);
      last = await res.json();
    }
    expect(last).toMatchObject({ Status: 'Complete', Offset: video.length });
    const stored = path.join(root(), 'admin', 'Test Device', '2026-02', 'Videos', 'walk.mp4');
    expect(sha(fs.readFileSync(stored))).toBe(sha(video));

    // A retry of the whole upload (the client lost the answer) is recognised and stores nothing new.
    const retry = await admin.json('POST', '/Devices/CameraUploads/Sessions', {
      DeviceId: 'phone-1',
      Name: 'walk.mp4',
      Size: video.length,
      Date: '2026-02-03T09:00:00Z',
      MimeType: 'video/mp4',
    });
    expect(retry).toMatchObject({ Status: 'Complete', Duplicate: true });
  });

  it('answers a chunk at the wrong offset with 409 and the offset it holds', async () => {
    const s = await admin.json('POST', '/Devices/CameraUploads/Sessions', {
      DeviceId: 'phone-1',
      Name: 'tiny.png',
      Size: png.length,
      MimeType: 'image/png',
    });
    const res = await putChunk(admin, s.UploadId, 10, png.subarray(10), png.length);
    expect(res.status).toBe(409);
    expect(res.headers.get('upload-offset')).toBe('0');
    expect(await res.json()).toMatchObject({ error: 'Conflict', Offset: 0 });
    const ok = await putChunk(admin, s.UploadId, 0, png, png.length);
    expect(await ok.json()).toMatchObject({ Status: 'Complete' });
  });

  it('refuses a text file with 415 and a message, whatever it claims to be', async () => {
    const text = Buffer.from('This is not a photo, it is a shopping list.\n'.repeat(4));
    const declared = await fetch(`${server.url}/Devices/CameraUploads?DeviceId=phone-1&Name=list.txt`, {
      method: 'POST',
      headers: {
        'x-emby-authorization': authHeader('phone-1', admin.token),
        'content-type': 'text/plain',
      },
      body: new Uint8Array(text),
    });
    expect(declared.status).toBe(415);
    expect((await declared.json()).message).toMatch(/photos and videos/);
    const disguised = await fetch(`${server.url}/Devices/CameraUploads?DeviceId=phone-1&Name=list.jpg`, {
      method: 'POST',
      headers: {
        'x-emby-authorization': authHeader('phone-1', admin.token),
        'content-type': 'image/jpeg',
      },
      body: new Uint8Array(text),
    });
    expect(disguised.status).toBe(415);
    const session = await admin.req('POST', '/Devices/CameraUploads/Sessions', {
      DeviceId: 'phone-1',
      Name: 'notes.pdf',
      Size: 10,
      MimeType: 'application/pdf',
    });
    expect(session.status).toBe(415);
    expect(fs.existsSync(path.join(root(), 'admin', 'Test Device', new Date().toISOString().slice(0, 7), 'list.jpg'))).toBe(false);
    expect(
      fs
        .readdirSync(path.join(root(), '.incoming'))
        .filter((f) => !f.endsWith('.part') || fs.statSync(path.join(root(), '.incoming', f)).size > 0),
    ).toEqual([]);
  });

  it('refuses a file over the size limit with 413, declared or streamed', async () => {
    const declared = await admin.req('POST', '/Devices/CameraUploads/Sessions', {
      DeviceId: 'phone-1',
      Name: 'huge.mp4',
      Size: MAX + 1,
      MimeType: 'video/mp4',
    });
    expect(declared.status).toBe(413);
    const big = Buffer.concat([video, Buffer.alloc(MAX)]);
    const streamed = await fetch(`${server.url}/Devices/CameraUploads?DeviceId=phone-1&Name=huge.mp4`, {
      method: 'POST',
      headers: {
        'x-emby-authorization': authHeader('phone-1', admin.token),
        'content-type': 'video/mp4',
      },
      body: new Uint8Array(big),
    }).catch(() => undefined);
    if (streamed) expect(streamed.status).toBe(413);
    expect((await history(admin)).FilesUploaded.some((f) => f.Name === 'huge.mp4')).toBe(false);
  });

  it("needs the EnableCameraUpload policy and the caller's own device (403)", async () => {
    const kid = await createUser(server.url, admin, 'kid', 'pw', {
      EnableCameraUpload: false,
    });
    const res = await kid.req('POST', '/Devices/CameraUploads/Sessions', {
      DeviceId: kid.deviceId,
      Name: 'a.jpg',
      Size: 10,
      MimeType: 'image/jpeg',
    });
    expect(res.status).toBe(403);
    const other = await admin.req('POST', '/Devices/CameraUploads/Sessions', {
      DeviceId: 'someone-elses-phone',
      Name: 'a.jpg',
      Size: 10,
      MimeType: 'image/jpeg',
    });
    expect(other.status).toBe(403);
  });

  it('keeps names inside their folder: ../ and separators are neutralised', async () => {
    const res = await fetch(
      `${server.url}/Devices/CameraUploads?DeviceId=phone-1&Album=${encodeURIComponent('../../etc')}&Name=${encodeURIComponent('../../../escape ☀.png')}`,
      {
        method: 'POST',
        headers: {
          'x-emby-authorization': authHeader('phone-1', admin.token),
          'content-type': 'image/png',
        },
        body: new Uint8Array(Buffer.concat([png, Buffer.from([0])])),
      },
    );
    expect(res.status).toBe(204);
    const entry = (await history(admin)).FilesUploaded.find((f) => f.Name.includes('escape'));
    expect(entry).toBeDefined();
    const files = fs.readdirSync(root(), { recursive: true }) as string[];
    const stored = files.find((f) => f.includes('escape'));
    expect(stored).toBeDefined();
    const full = path.resolve(root(), stored!);
    expect(full.startsWith(path.join(root(), 'admin', 'Test Device') + path.sep)).toBe(true);
    expect(path.basename(full)).toBe('_._._escape ☀.png');
    expect(fs.existsSync(path.join(server.dataDir, 'etc'))).toBe(false);
  });

  it('puts uploads in the library after the scan, visible to the uploader only', async () => {
    await server.built.deps.library.scanner.scan();
    const mine = await admin.json('GET', `/Users/${admin.userId}/Items?Recursive=true&IncludeItemTypes=Photo,Movie,Video`);
    const names = mine.Items.map((i: any) => i.Name);
    expect(names).toEqual(expect.arrayContaining(['beach', 'walk']));
    expect(names.filter((n: string) => n === 'beach')).toHaveLength(1);
    const viewer = await createUser(server.url, admin, 'viewer', 'pw');
    const theirs = await viewer.json('GET', `/Users/${viewer.userId}/Items?Recursive=true&IncludeItemTypes=Photo,Movie,Video`);
    expect(theirs.Items.map((i: any) => i.Name)).not.toContain('beach');
  });

  it('lists history per device', async () => {
    const tablet = await signIn(server.url, 'admin', 'pw', 'tablet-1');
    expect((await history(tablet)).FilesUploaded).toEqual([]);
    expect((await history(admin)).FilesUploaded.length).toBeGreaterThanOrEqual(3);
    const viewer = await signIn(server.url, 'viewer', 'pw', 'viewer-phone');
    const denied = await viewer.req('GET', '/Devices/CameraUploads?DeviceId=phone-1');
    expect(denied.status).toBe(403);
  });
});
