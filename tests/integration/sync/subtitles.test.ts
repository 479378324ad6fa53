/**
 * Subtitles end to end through the Sync API (API.md §5.8): embedded and sidecar text subtitles become WebVTT
 * AdditionalFiles of the job item, the MediaSource gains matching external streams, and the file route
 * serves only names from the item's own list.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeClip, makeSrt } from '../../helpers/media.js';
import { mkdirs, startMediaServer, type MediaServer } from './conversionFixture.js';

let f: MediaServer;
beforeAll(async () => {
  f = await startMediaServer(async (media) => {
    const movies = mkdirs(media, 'Movies');
    await Promise.all([
      // Plays as is on an MP4 device: only the subtitles need ffmpeg.
      makeClip(movies, 'Subbed Direct (2020).mp4', { seconds: 2, subtitles: 'mov_text', subtitleLanguage: 'eng' }),
      // MKV with AC3: remuxed, and its embedded SRT is written out by the same ffmpeg run.
      makeClip(movies, 'Subbed Remux (2021).mkv', { seconds: 2, acodec: 'ac3', subtitles: 'srt', subtitleLanguage: 'ger' }),
    ]);
    makeSrt(movies, 'Subbed Direct (2020).fr.srt', 'Une ligne à côté.');
    makeSrt(movies, 'Subbed Remux (2021).en.srt', 'A sidecar line.');
  });
}, 60_000);
afterAll(() => f.server.close());

async function syncReady(name: string): Promise<any> {
  const res = await f.admin.json('POST', '/Sync/Jobs', { TargetId: 'admin-phone', ItemIds: f.ids[name], Quality: 'high' });
  return f.waitForItem(f.admin, res.Job.Id, 'ReadyToTransfer');
}

function expectSidecarsMatchStreams(item: any): void {
  const subtitleFiles = item.AdditionalFiles.filter((a: any) => a.Type === 'Subtitles');
  expect(subtitleFiles.length).toBe(2);
  const external = item.MediaSource.MediaStreams.filter((s: any) => s.Type === 'Subtitle' && s.IsExternal);
  expect(external.map((s: any) => s.Index).sort()).toEqual(subtitleFiles.map((a: any) => a.Index).sort());
  for (const file of subtitleFiles) {
    expect(file.Name).toMatch(/\.vtt$/);
    expect(file.Name).not.toContain('/');
    const stream = external.find((s: any) => s.Index === file.Index);
    expect(stream).toMatchObject({ Codec: 'vtt', IsExternal: true, Path: file.Name });
  }
}

async function fetchVtt(itemId: string, name: string): Promise<string> {
  const res = await f.admin.req('GET', `/Sync/JobItems/${itemId}/AdditionalFiles?Name=${encodeURIComponent(name)}`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/vtt');
  return res.text();
}

describe('subtitles through the Sync API', () => {
  it('a direct-play video keeps its original file and gains WebVTT sidecars for its embedded and sidecar subtitles', async () => {
    const item = await syncReady('Subbed Direct');
    expectSidecarsMatchStreams(item);
    expect(item.AdditionalFiles.map((a: any) => a.Type)).toEqual(['Subtitles', 'Subtitles']);

    // The media file served is the source itself, byte for byte.
    const source = fs.readFileSync(path.join(f.media, 'Movies', 'Subbed Direct (2020).mp4'));
    const file = await f.admin.req('GET', `/Sync/JobItems/${item.Id}/File`);
    expect(file.status).toBe(200);
    const served = Buffer.from(await file.arrayBuffer());
    expect(createHash('sha256').update(served).digest('hex')).toBe(createHash('sha256').update(source).digest('hex'));
    expect(item.Size).toBe(source.length);
    expect(item.OutputPath ?? item.MediaSource.Path).toMatch(/Subbed Direct \(2020\)\.mp4$/);

    const texts = await Promise.all(item.AdditionalFiles.map((a: any) => fetchVtt(item.Id, a.Name)));
    for (const t of texts) expect(t.startsWith('WEBVTT')).toBe(true);
    expect(texts.join('\n')).toContain('An embedded line of dialogue.');
    expect(texts.join('\n')).toContain('Une ligne à côté.');
    const french = item.AdditionalFiles.find((a: any) => /\.fre\.|\.fra\.|\.fr\./.test(a.Name));
    expect(french).toBeDefined();
  });

  it('a remuxed video carries its embedded SRT and its sidecar as WebVTT files next to the MP4', async () => {
    const item = await syncReady('Subbed Remux');
    expect(item.OutputPath ?? item.MediaSource.Path).toMatch(/\.mp4$/);
    expectSidecarsMatchStreams(item);
    const texts = await Promise.all(item.AdditionalFiles.map((a: any) => fetchVtt(item.Id, a.Name)));
    expect(texts.every((t) => t.startsWith('WEBVTT'))).toBe(true);
    expect(texts.join('\n')).toContain('An embedded line of dialogue.');
    expect(texts.join('\n')).toContain('A sidecar line.');
    // SyncedItem lists the same files without a Path.
    const ready = await f.admin.json('GET', '/Sync/Items/Ready?TargetId=admin-phone');
    const synced = ready.find((r: any) => r.SyncJobItemId === item.Id);
    expect(synced.AdditionalFiles.map((a: any) => a.Name).sort()).toEqual(item.AdditionalFiles.map((a: any) => a.Name).sort());
    expect(synced.AdditionalFiles.every((a: any) => a.Path === undefined)).toBe(true);
  });

  it('matches Name case-insensitively against the item’s own list', async () => {
    const item = (await f.admin.json('GET', '/Sync/JobItems?TargetId=admin-phone&Statuses=ReadyToTransfer')).Items[0];
    const name = item.AdditionalFiles[0].Name as string;
    const text = await fetchVtt(item.Id, name.toUpperCase());
    expect(text.startsWith('WEBVTT')).toBe(true);
  });

  it('answers 404 JSON for a name that is not in the list, never reading a path', async () => {
    const item = (await f.admin.json('GET', '/Sync/JobItems?TargetId=admin-phone&Statuses=ReadyToTransfer')).Items[0];
    const dbPath = path.join(f.server.dataDir, 'stowaway.db');
    const key = item.MediaSource.Id as string;
    for (const name of ['../../stowaway.db', '../stowaway.db', dbPath, `${key}/../../stowaway.db`, '/etc/passwd', 'missing.vtt', '..']) {
      const res = await f.admin.req('GET', `/Sync/JobItems/${item.Id}/AdditionalFiles?Name=${encodeURIComponent(name)}`);
      expect(res.status, name).toBe(404);
      expect(res.headers.get('content-type')).toContain('application/json');
      const body = await res.json();
      expect(body.error).toBeDefined();
    }
    const missing = await f.admin.req('GET', `/Sync/JobItems/${item.Id}/AdditionalFiles`);
    expect(missing.status).toBe(400);
  });
});
