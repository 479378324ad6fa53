/**
 * The conversion engine seen through the Sync API when things are not simple: songs, a job cancelled
 * while ffmpeg runs, sources that vanish or are unreadable, a restart with half-written output, and the
 * administrator's view of the output store's disk use.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/server/db/connection.js';
import { makeClip, tempDir } from '../../helpers/media.js';
import { createUser } from '../../helpers/server.js';
import { mkdirs, startMediaServer, type MediaServer } from './conversionFixture.js';

/** Pids of processes whose command line mentions `text` (an output key is in ffmpeg's output path). */
function pidsMatching(text: string): number[] {
  try {
    return execFileSync('pgrep', ['-f', text], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' });
}

async function until<T>(fn: () => T | undefined | false, ms: number, step = 25): Promise<T | undefined> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) return undefined;
    await new Promise((r) => setTimeout(r, step));
  }
}

function outputKeyOf(f: MediaServer, jobItemId: string): string | null {
  return (
    f.server.built.deps.db.prepare('SELECT output_key FROM sync_job_items WHERE id = ?').get(jobItemId) as { output_key: string | null }
  ).output_key;
}

describe('songs, faults and cancellation', () => {
  let f: MediaServer;
  beforeAll(async () => {
    f = await startMediaServer(async (media) => {
      const album = mkdirs(media, 'Music', 'Test Artist', 'Test Album');
      const movies = mkdirs(media, 'Movies');
      const tags = (title: string, track: string) => ({
        title,
        artist: 'Test Artist',
        album_artist: 'Test Artist',
        album: 'Test Album',
        track,
      });
      await Promise.all([
        makeClip(album, '01 - Direct Song.mp3', { vcodec: null, acodec: 'mp3', seconds: 2, metadata: tags('Direct Song', '1') }),
        makeClip(album, '02 - Flac Song.flac', { vcodec: null, acodec: 'flac', seconds: 2, metadata: tags('Flac Song', '2') }),
        makeClip(movies, 'Good Remux (2020).mkv', { seconds: 2, acodec: 'ac3' }),
        makeClip(movies, 'Gone Source (2020).mkv', { seconds: 2, acodec: 'ac3' }),
        makeClip(movies, 'Broken Source (2020).mkv', { seconds: 2, acodec: 'ac3' }),
        // Long enough that a transcode to 500 kbps is still running when the job is cancelled.
        makeClip(movies, 'Long Movie (2020).mp4', { seconds: 25, size: '1280x720' }),
      ]);
    });
  }, 120_000);
  afterAll(() => f.server.close());

  it('an MP3 on a device that plays MP3 is ReadyToTransfer at once, served as is', async () => {
    const res = await f.admin.json('POST', '/Sync/Jobs', { TargetId: 'admin-phone', ItemIds: f.ids['Direct Song'], Quality: 'high' });
    const item = res.JobItems[0];
    expect(item.Status).toBe('ReadyToTransfer');
    expect(outputKeyOf(f, item.Id)).toBeNull();
    const file = await f.admin.req('GET', `/Sync/JobItems/${item.Id}/File`);
    const bytes = Buffer.from(await file.arrayBuffer());
    expect(bytes.equals(fs.readFileSync(path.join(f.media, 'Music', 'Test Artist', 'Test Album', '01 - Direct Song.mp3')))).toBe(true);
  });

  it('a FLAC on a device that doesn’t play FLAC is converted by the Static Audio profile into an MP3', async () => {
    const res = await f.admin.json('POST', '/Sync/Jobs', { TargetId: 'admin-phone', ItemIds: f.ids['Flac Song'], Quality: 'high' });
    const item = await f.waitForItem(f.admin, res.Job.Id, 'ReadyToTransfer');
    const plan = (
      f.server.built.deps.db.prepare('SELECT plan FROM conversion_outputs WHERE key = ?').get(outputKeyOf(f, item.Id)) as { plan: string }
    ).plan;
    expect(JSON.parse(plan)).toMatchObject({ kind: 'audio-transcode', container: 'mp3' });
    expect(item.OutputPath ?? item.MediaSource.Path).toMatch(/\.mp3$/);
    expect(item.MediaSource.Container).toBe('mp3');
    const streams = item.MediaSource.MediaStreams.filter((s: any) => s.Type === 'Audio');
    expect(streams.map((s: any) => s.Codec)).toEqual(['mp3']);
    const file = await f.admin.req('GET', `/Sync/JobItems/${item.Id}/File`);
    expect(file.headers.get('content-type')).toContain('audio/mpeg');
    expect(Buffer.from(await file.arrayBuffer()).length).toBe(item.Size);
  });

  it('fails an item whose source was deleted or is unreadable with ffmpeg’s reason, and the others go on', async () => {
    const movies = path.join(f.media, 'Movies');
    fs.rmSync(path.join(movies, 'Gone Source (2020).mkv'));
    fs.writeFileSync(path.join(movies, 'Broken Source (2020).mkv'), 'not a matroska file any more\n'.repeat(100));
    const res = await f.admin.json('POST', '/Sync/Jobs', {
      TargetId: 'admin-phone',
      ItemIds: [f.ids['Gone Source'], f.ids['Broken Source'], f.ids['Good Remux']],
      Quality: 'high',
    });
    const end = Date.now() + 30_000;
    let items: any[] = [];
    while (Date.now() < end) {
      items = (await f.admin.json('GET', `/Sync/JobItems?JobId=${res.Job.Id}`)).Items;
      if (items.every((i) => i.Status === 'Failed' || i.Status === 'ReadyToTransfer')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const find = (name: string) => items.find((i) => i.ItemName === name);
    expect(find('Good Remux').Status).toBe('ReadyToTransfer');
    const gone = find('Gone Source');
    const broken = find('Broken Source');
    expect(gone.Status).toBe('Failed');
    expect(gone.ErrorMessage).toMatch(/ffmpeg exited with code/);
    expect(gone.ErrorMessage).toMatch(/No such file or directory/);
    // Named relative to its library, never by its server path (issue 14 item 4).
    expect(gone.ErrorMessage).toContain('Movies/Gone Source (2020).mkv');
    expect(gone.ErrorMessage).not.toContain(f.media);
    expect(broken.ErrorMessage).not.toContain(f.media);
    expect(broken.Status).toBe('Failed');
    expect(broken.ErrorMessage).toMatch(/Invalid data found|could not find codec|EBML/i);
    // The message is never a stack.
    expect(broken.ErrorMessage).not.toMatch(/\n\s+at /);
  });

  it('cancelling a job while its item converts stops ffmpeg within a second and leaves no partial file', async () => {
    const res = await f.admin.json('POST', '/Sync/Jobs', {
      TargetId: 'admin-phone',
      ItemIds: f.ids['Long Movie'],
      Quality: 'custom',
      Bitrate: 500_000,
    });
    const jobItemId = res.JobItems[0].Id;
    const key = outputKeyOf(f, jobItemId);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    // Running: ffmpeg is writing into the output's directory (the key is in its command line).
    expect(await until(() => pidsMatching(key!).length > 0, 10_000)).toBe(true);
    await f.waitForItem(f.admin, res.Job.Id, 'Converting', 10_000);
    const outputDir = path.join(f.server.built.deps.outputs.workDir, key!);
    expect(await until(() => filesUnder(outputDir).some((n) => n.includes('.partial')), 10_000)).toBe(true);

    const cancelledAt = Date.now();
    expect((await f.admin.req('DELETE', `/Sync/Jobs/${res.Job.Id}`)).status).toBe(204);
    const stopped = await until(() => pidsMatching(key!).length === 0, 1000, 10);
    expect(stopped, `ffmpeg still running ${Date.now() - cancelledAt} ms after the cancel`).toBe(true);

    expect(await until(() => !fs.existsSync(outputDir), 2000)).toBe(true);
    expect(filesUnder(f.server.built.deps.outputs.workDir).filter((n) => n.includes('.partial'))).toEqual([]);
    expect(f.server.built.deps.db.prepare('SELECT 1 FROM conversion_outputs WHERE key = ?').get(key)).toBeUndefined();
    expect((await f.admin.req('GET', `/Sync/Jobs/${res.Job.Id}`)).status).toBe(404);
  });

  it('GET /Sync/OutputStore gives an administrator the disk use and the work dir; others get 403 without the path', async () => {
    const usage = await f.admin.json('GET', '/Sync/OutputStore');
    const workDir = f.server.built.deps.outputs.workDir;
    expect(usage.Path).toBe(workDir);
    const onDisk = filesUnder(workDir)
      .map((n) => path.join(workDir, n))
      .filter((p) => fs.statSync(p).isFile());
    expect(usage.Files).toBe(onDisk.length);
    expect(usage.Bytes).toBe(onDisk.reduce((sum, p) => sum + fs.statSync(p).size, 0));
    expect(usage.Outputs).toBeGreaterThanOrEqual(2); // the FLAC and the good remux
    expect(usage.Bytes).toBeGreaterThan(0);

    const user = await createUser(f.server.url, f.admin, 'viewer');
    const denied = await user.req('GET', '/Sync/OutputStore');
    expect(denied.status).toBe(403);
    expect(await denied.text()).not.toContain(workDir);
    expect((await fetch(`${f.server.url}/Sync/OutputStore`)).status).toBe(401);
  });
});

describe('items a refresh adds on GET /Sync/Items/Ready', () => {
  let f: MediaServer;
  beforeAll(async () => {
    // Over 5 minutes so a 100 s position counts as "in progress" (Resume); tiny frames and AAC so the remux
    // to MP4 is a pure stream copy.
    f = await startMediaServer((m) =>
      makeClip(mkdirs(m, 'Movies'), 'Resumed Movie (2020).mkv', { seconds: 400, size: '160x90', acodec: 'aac' }),
    );
  }, 120_000);
  afterAll(() => f.server.close());

  it('are converted, not left Queued (a Resume job gaining an MKV that needs a remux)', async () => {
    const res = await f.admin.json('POST', '/Sync/Jobs', { TargetId: 'admin-phone', Category: 'Resume', Quality: 'high' });
    expect(res.JobItems).toEqual([]);
    const stopped = await f.admin.req('POST', '/Sessions/Playing/Stopped', {
      ItemId: f.ids['Resumed Movie'],
      PositionTicks: 100 * 10_000_000,
    });
    expect(stopped.status).toBe(204);
    await f.admin.json('GET', '/Sync/Items/Ready?TargetId=admin-phone');
    const item = await f.waitForItem(f.admin, res.Job.Id, 'ReadyToTransfer', 20_000);
    expect(item.OutputPath ?? item.MediaSource.Path).toMatch(/\.mp4$/);
  }, 60_000);
});

describe('restart recovery', () => {
  it('an item left Converting with a half-written file is queued again on start, converted, and the partial file is gone', async () => {
    const dataDir = tempDir('stowaway-restart-data-');
    const media = tempDir('stowaway-restart-media-');
    try {
      const first = await startMediaServer(
        (m) => makeClip(mkdirs(m, 'Movies'), 'Restart Movie (2020).mkv', { seconds: 2, acodec: 'ac3' }),
        dataDir,
        media,
      );
      const res = await first.admin.json('POST', '/Sync/Jobs', {
        TargetId: 'admin-phone',
        ItemIds: first.ids['Restart Movie'],
        Quality: 'high',
      });
      const ready = await first.waitForItem(first.admin, res.Job.Id, 'ReadyToTransfer');
      const key = outputKeyOf(first, ready.Id)!;
      const outputDir = path.join(first.server.built.deps.outputs.workDir, key);
      await first.server.close();

      // What a crash mid-conversion leaves: rows saying 'converting', a partial file, no finished file.
      const db = openDatabase(path.join(dataDir, 'stowaway.db'));
      db.prepare(
        `UPDATE conversion_outputs SET status = 'converting', progress = 40, size = NULL, sha256 = NULL, media_source = NULL WHERE key = ?`,
      ).run(key);
      db.prepare(`UPDATE sync_job_items SET status = 'Converting', progress = 20 WHERE id = ?`).run(ready.Id);
      db.close();
      for (const n of fs.readdirSync(outputDir)) fs.rmSync(path.join(outputDir, n));
      const partial = path.join(outputDir, 'Restart Movie (2020).partial-0badf00d.mp4');
      fs.writeFileSync(partial, Buffer.alloc(64 * 1024, 7));

      const second = await startMediaServer(async () => undefined, dataDir, media);
      try {
        const item = await second.waitForItem(second.admin, res.Job.Id, 'ReadyToTransfer');
        expect(item.Id).toBe(ready.Id);
        expect(fs.existsSync(partial)).toBe(false);
        expect(fs.readdirSync(outputDir).filter((n) => n.includes('.partial'))).toEqual([]);
        const row = second.server.built.deps.db
          .prepare('SELECT status, attempts, sha256 FROM conversion_outputs WHERE key = ?')
          .get(key) as any;
        expect(row).toMatchObject({ status: 'ready', attempts: 2 });
        expect(item.Sha256).toBe(row.sha256);
        const file = await second.admin.req('GET', `/Sync/JobItems/${item.Id}/File`);
        expect(Buffer.from(await file.arrayBuffer()).length).toBe(item.Size);
      } finally {
        await second.server.close();
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
      fs.rmSync(media, { recursive: true, force: true });
    }
  }, 60_000);
});
