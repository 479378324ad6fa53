import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, startLibrary, type TestLibrary } from './library.js';
import type { Session } from '../../helpers/server.js';

let lib: TestLibrary;
let bob: Session;
let dir: string;
let video: string;
let audio: string;
const bytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));

beforeAll(async () => {
  lib = await startLibrary();
  bob = await createUser(lib.server.url, lib.admin, 'bob');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stowaway-streams-'));
  const videoFile = path.join(dir, 'Clip One.mp4');
  const audioFile = path.join(dir, 'Song.mp3');
  fs.writeFileSync(videoFile, bytes);
  fs.writeFileSync(audioFile, bytes.subarray(0, 300));
  video = lib.rows.movie(lib.views.movies, 'Clip One', { path: videoFile, container: 'mp4', size: bytes.length });
  audio = lib.rows.track(lib.views.music, lib.music.album, 9, 'Song', 'Artist X', { path: audioFile, container: 'mp3' });
});
afterAll(async () => {
  await lib.server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const get = (p: string, headers: Record<string, string> = {}, method = 'GET') => bob.req(method, p, undefined, headers);
const body = async (res: Response) => Buffer.from(await res.arrayBuffer());

describe('original file streaming with HTTP Range', () => {
  it('sends the whole file with a strong ETag, Accept-Ranges and the container’s type', async () => {
    const res = await get(`/Videos/${video}/stream`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('video/mp4');
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    expect(res.headers.get('content-length')).toBe('1000');
    expect(res.headers.get('etag')).toMatch(/^"[0-9a-f]+"$/);
    expect((await body(res)).equals(bytes)).toBe(true);
  });

  it('answers a-b, a- and -n with 206 and Content-Range', async () => {
    let res = await get(`/Videos/${video}/stream.mp4?Static=true`, { Range: 'bytes=10-19' });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe('bytes 10-19/1000');
    expect(res.headers.get('content-length')).toBe('10');
    expect((await body(res)).equals(bytes.subarray(10, 20))).toBe(true);
    res = await get(`/Videos/${video}/stream`, { Range: 'bytes=990-' });
    expect(res.headers.get('content-range')).toBe('bytes 990-999/1000');
    expect((await body(res)).equals(bytes.subarray(990))).toBe(true);
    res = await get(`/Videos/${video}/stream`, { Range: 'bytes=-5' });
    expect(res.status).toBe(206);
    expect((await body(res)).equals(bytes.subarray(995))).toBe(true);
  });

  it('answers 416 with bytes */size when the range cannot be met', async () => {
    const res = await get(`/Videos/${video}/stream`, { Range: 'bytes=1000-' });
    expect(res.status).toBe(416);
    expect(res.headers.get('content-range')).toBe('bytes */1000');
  });

  it('sends the whole file for several ranges or a stale If-Range', async () => {
    const multi = await get(`/Videos/${video}/stream`, { Range: 'bytes=0-1,5-6' });
    expect(multi.status).toBe(200);
    expect((await body(multi)).length).toBe(1000);
    const etag = (await get(`/Videos/${video}/stream`, {}, 'HEAD')).headers.get('etag')!;
    const fresh = await get(`/Videos/${video}/stream`, { Range: 'bytes=0-9', 'If-Range': etag });
    expect(fresh.status).toBe(206);
    await fresh.arrayBuffer();
    const stale = await get(`/Videos/${video}/stream`, { Range: 'bytes=0-9', 'If-Range': '"stale"' });
    expect(stale.status).toBe(200);
    expect((await body(stale)).length).toBe(1000);
  });

  it('answers If-None-Match with 304 and HEAD with headers only', async () => {
    const head = await get(`/Videos/${video}/stream`, {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('1000');
    expect((await body(head)).length).toBe(0);
    const etag = head.headers.get('etag')!;
    const notModified = await get(`/Videos/${video}/stream`, { 'If-None-Match': etag });
    expect(notModified.status).toBe(304);
    const headRange = await get(`/Videos/${video}/stream`, { Range: 'bytes=0-99' }, 'HEAD');
    expect(headRange.status).toBe(206);
    expect(headRange.headers.get('content-length')).toBe('100');
  });

  it('changes the ETag when the file changes', async () => {
    const before = (await get(`/Videos/${video}/stream`, {}, 'HEAD')).headers.get('etag');
    const file = path.join(dir, 'Clip One.mp4');
    fs.utimesSync(file, new Date(), new Date(Date.now() + 10_000));
    const after = (await get(`/Videos/${video}/stream`, {}, 'HEAD')).headers.get('etag');
    expect(after).not.toBe(before);
  });

  it('streams audio with its own type and accepts api_key in the URL', async () => {
    const res = await fetch(`${lib.server.url}/Audio/${audio}/stream.mp3?api_key=${bob.token}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('audio/mpeg');
    expect((await body(res)).length).toBe(300);
    expect((await fetch(`${lib.server.url}/Audio/${audio}/stream.mp3`)).status).toBe(401);
  });

  it('downloads the original as an attachment, if the policy allows', async () => {
    const res = await get(`/Items/${video}/Download`, { Range: 'bytes=0-0' });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-disposition')).toContain('filename="Clip One.mp4"');
    await res.arrayBuffer();
    const noDownloads = await createUser(lib.server.url, lib.admin, 'nodl', 'pw', { EnableContentDownloading: false });
    expect((await noDownloads.req('GET', `/Items/${video}/Download`)).status).toBe(403);
    // Streaming (playback) is still allowed for them.
    expect((await noDownloads.req('HEAD', `/Videos/${video}/stream`)).status).toBe(200);
  });

  it('answers 404 JSON for folders, unknown ids and files that vanished', async () => {
    for (const id of [lib.show.series, '0123456789abcdef0123456789abcdef']) {
      const res = await get(`/Videos/${id}/stream`);
      expect(res.status).toBe(404);
      expect((await res.json()).error).toBe('NotFound');
    }
    const gone = path.join(dir, 'gone.mkv');
    fs.writeFileSync(gone, 'x');
    const id = lib.rows.movie(lib.views.movies, 'Gone', { path: gone });
    fs.rmSync(gone);
    const res = await get(`/Videos/${id}/stream`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect((await res.json()).error).toBe('NotFound');
  });
});
