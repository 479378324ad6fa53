import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type InjectOptions } from 'fastify';
import type { Api } from '../../../src/server/appDeps.js';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, transactionOf, type Db } from '../../../src/server/db/connection.js';
import { AuthService } from '../../../src/server/auth/authService.js';
import { DevicesRepo } from '../../../src/server/auth/devicesRepo.js';
import { TokensRepo } from '../../../src/server/auth/tokensRepo.js';
import { UsersRepo } from '../../../src/server/auth/usersRepo.js';
import { UsersService } from '../../../src/server/auth/usersService.js';
import { registerAuth } from '../../../src/server/http/authPlugin.js';
import { registerErrorHandling } from '../../../src/server/http/errorHandler.js';
import { registerTolerantInput } from '../../../src/server/http/tolerantInput.js';
import { stableId } from '../../../src/server/ids.js';
import { ImageService } from '../../../src/server/library/images.js';
import { ItemImages } from '../../../src/server/library/itemImages.js';
import { ItemsRepo } from '../../../src/server/library/itemsRepo.js';
import { LibraryWriter } from '../../../src/server/library/libraryWriter.js';
import { MediaProber } from '../../../src/server/library/probe.js';
import { LibraryScanner } from '../../../src/server/library/scanner.js';
import { registerLibraryRoutes } from '../../../src/server/routes/library.js';
import { makeClip, makeImage, makeTextFile, mediaBinaries, tempDir } from '../../helpers/media.js';

/** Width × height of an image, read back with ffprobe. */
function imageSize(file: string): [number, number] {
  const out = execFileSync(mediaBinaries().ffprobe, [
    '-v',
    'error',
    '-select_streams',
    'v:0',
    '-show_entries',
    'stream=width,height',
    '-of',
    'csv=p=0',
    file,
  ]);
  const [w, h] = String(out).trim().split(',').map(Number);
  return [w!, h!];
}

describe('library routes (images, refresh, scan report)', () => {
  let media: string;
  let dataDir: string;
  let db: Db;
  let app: Api;
  let scanner: LibraryScanner;
  let movieId: string;
  let photoId: string;
  let tag: string;
  let token: string;
  /** `app.inject` with the administrator's token. */
  const inject = (opts: InjectOptions) => app.inject({ ...opts, headers: { 'x-emby-token': token, ...opts.headers } });

  beforeAll(async () => {
    media = tempDir();
    dataDir = tempDir('stowaway-data-');
    await makeClip(media, 'Movies/Wide Shot (2020).mp4', { size: '640x360' });
    await makeImage(media, 'Photos/Card.png', 'testsrc2=size=400x300');
    makeTextFile(media, 'Movies/Not A Movie.mkv');
    db = openDatabase(path.join(dataDir, 'db.sqlite'));
    const writer = new LibraryWriter(db);
    const bins = mediaBinaries();
    const images = new ImageService({ ffmpegPath: bins.ffmpeg, dataDir });
    scanner = new LibraryScanner({ roots: [media], prober: new MediaProber(bins.ffprobe), writer, images });
    await scanner.scan();
    movieId = stableId(path.join(media, 'Movies/Wide Shot (2020).mp4'));
    photoId = stableId(path.join(media, 'Photos/Card.png'));
    tag = writer.imageOf(movieId)!.imageTag;
    // Images and the scan routes need a signed-in caller (an administrator for the scan routes).
    const [users, tokens, devices] = [new UsersRepo(db), new TokensRepo(db), new DevicesRepo(db)];
    const transaction = transactionOf(db);
    const auth = new AuthService(transaction, users, tokens, devices);
    await new UsersService({ users, tokens, devices, transaction }).create('admin', 'pw', { IsAdministrator: true });
    const session = await auth.authenticate({ username: 'admin', pw: 'pw', identity: { deviceId: 'test-device' } });
    token = session.token;
    app = Fastify().withTypeProvider<TypeBoxTypeProvider>();
    registerErrorHandling(app);
    registerTolerantInput(app);
    registerAuth(app, auth);
    registerLibraryRoutes(app, { library: { scanner, writer, images }, itemImages: new ItemImages(new ItemsRepo(db), images) });
    await app.ready();
  });

  afterAll(async () => {
    await app?.close();
    db?.close();
    fs.rmSync(media, { recursive: true, force: true });
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves the primary image with a strong ETag', async () => {
    const res = await inject({ method: 'GET', url: `/Items/${movieId}/Images/Primary` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/jpeg');
    expect(res.headers.etag).toBe(`"${tag}"`);
    expect(res.headers['cache-control']).toContain('must-revalidate');
    expect(res.rawPayload.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
  });

  it('marks a tagged URL immutable, accepts any case of the type and dashed ids', async () => {
    const dashed =
      `${movieId.slice(0, 8)}-${movieId.slice(8, 12)}-${movieId.slice(12, 16)}-${movieId.slice(16, 20)}-${movieId.slice(20)}`.toUpperCase();
    const res = await inject({ method: 'GET', url: `/Items/${dashed}/Images/primary?tag=${tag}&api_key=abc` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toContain('immutable');
  });

  it('answers If-None-Match with 304', async () => {
    const res = await inject({ method: 'GET', url: `/Items/${movieId}/Images/Primary`, headers: { 'if-none-match': `"${tag}"` } });
    expect(res.statusCode).toBe(304);
    expect(res.body).toBe('');
  });

  it('answers HEAD with headers only', async () => {
    const res = await inject({ method: 'HEAD', url: `/Items/${movieId}/Images/Primary` });
    expect(res.statusCode).toBe(200);
    expect(res.headers.etag).toBe(`"${tag}"`);
    expect(Number(res.headers['content-length'])).toBeGreaterThan(0);
    expect(res.body).toBe('');
  });

  it('resizes on request to the next ladder size, caches the variant on disk and gives it its own ETag', async () => {
    const res = await inject({ method: 'GET', url: `/Items/${movieId}/Images/Primary?MaxWidth=160&quality=80` });
    expect(res.statusCode).toBe(200);
    const file = path.join(dataDir, 'out.jpg');
    fs.writeFileSync(file, res.rawPayload);
    // 160 snaps up to the 240 rung (the client scales the rest down); the 16:9 frame keeps its shape.
    expect(imageSize(file)).toEqual([240, 135]);
    expect(res.headers.etag).not.toBe(`"${tag}"`);
    const cached = fs.readdirSync(path.join(dataDir, 'images', 'cache', movieId));
    expect(cached).toHaveLength(1);
    const again = await inject({ method: 'GET', url: `/Items/${movieId}/Images/Primary?maxWidth=160&quality=80` });
    expect(again.headers.etag).toBe(res.headers.etag);
  });

  it('never upscales, and fits width and height as a box that keeps the aspect ratio', async () => {
    const big = await inject({ method: 'GET', url: `/Items/${movieId}/Images/Primary?maxWidth=4000` });
    fs.writeFileSync(path.join(dataDir, 'big.jpg'), big.rawPayload);
    expect(imageSize(path.join(dataDir, 'big.jpg'))).toEqual([640, 360]);
    const fixed = await inject({ method: 'GET', url: `/Items/${movieId}/Images/Primary?width=100&height=100` });
    fs.writeFileSync(path.join(dataDir, 'fixed.jpg'), fixed.rawPayload);
    expect(imageSize(path.join(dataDir, 'fixed.jpg'))).toEqual([120, 68]);
  });

  it('serves a photo as its own image, in its own format', async () => {
    const res = await inject({ method: 'GET', url: `/Items/${photoId}/Images/Primary` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.rawPayload.length).toBe(fs.statSync(path.join(media, 'Photos/Card.png')).size);
  });

  it('gives 404 JSON for unknown items, unknown image types and malformed ids', async () => {
    for (const url of [`/Items/${'0'.repeat(32)}/Images/Primary`, `/Items/${movieId}/Images/Backdrop`, '/Items/not-an-id/Images/Primary']) {
      const res = await inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json()).toMatchObject({ error: 'NotFound' });
    }
  });

  it('rejects nonsense sizes with 400', async () => {
    const res = await inject({ method: 'GET', url: `/Items/${movieId}/Images/Primary?maxWidth=-5` });
    expect(res.statusCode).toBe(400);
  });

  it('starts a scan on POST /Library/Refresh and reports it with the current issues', async () => {
    const done = new Promise((resolve) => scanner.once('scanned', resolve));
    const res = await inject({ method: 'POST', url: '/Library/Refresh' });
    expect(res.statusCode).toBe(204);
    await done;
    const report = await inject({ method: 'GET', url: '/Library/ScanReport' });
    expect(report.statusCode).toBe(200);
    const body = report.json();
    expect(body).toMatchObject({ IsScanning: false, LastScan: { Files: 2, Unchanged: 2, Added: 0 } });
    expect(body.Issues).toEqual([expect.objectContaining({ Path: path.join(media, 'Movies/Not A Movie.mkv') })]);
  });
});
