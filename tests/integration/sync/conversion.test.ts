import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, type Session } from '../../helpers/server.js';
import { startSyncFixture, type SyncFixture } from './fixture.js';

let f: SyncFixture;
beforeAll(async () => {
  f = await startSyncFixture();
});
afterAll(() => f.server.close());

async function waitForItem(s: Session, jobId: string, status: string, ms = 30_000): Promise<any> {
  const end = Date.now() + ms;
  let last: any;
  while (Date.now() < end) {
    last = (await s.json('GET', `/Sync/JobItems?JobId=${jobId}`)).Items[0];
    if (last.Status === status) return last;
    if (last.Status === 'Failed') throw new Error(`item failed: ${last.ErrorMessage}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`item stayed ${last?.Status}`);
}

function ffmpegRuns(): number {
  return (f.server.built.deps.db.prepare('SELECT COUNT(*) AS n FROM conversion_outputs').get() as { n: number }).n;
}

describe('sync with conversion', () => {
  it('remuxes an H.264/AC3 MKV to MP4 for an MP4-only device, then serves it with Size and Sha256', async () => {
    const res = await f.admin.json('POST', '/Sync/Jobs', { TargetId: 'admin-phone', ItemIds: f.ids['Remux Movie'], Quality: 'high' });
    expect(['Queued', 'Converting', 'ReadyToTransfer']).toContain(res.JobItems[0].Status);
    const item = await waitForItem(f.admin, res.Job.Id, 'ReadyToTransfer');
    expect(item.OutputPath).toMatch(/\.mp4$/);
    expect(item.MediaSource.Container).toContain('mp4');
    const audio = item.MediaSource.MediaStreams.find((s: any) => s.Type === 'Audio');
    const video = item.MediaSource.MediaStreams.find((s: any) => s.Type === 'Video');
    expect(audio.Codec).toBe('aac');
    expect(video.Codec).toBe('h264');
    expect(item.Sha256).toMatch(/^[0-9a-f]{64}$/);
    const file = await f.admin.req('GET', `/Sync/JobItems/${item.Id}/File`);
    expect(file.status).toBe(200);
    const bytes = Buffer.from(await file.arrayBuffer());
    expect(bytes.length).toBe(item.Size);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(item.Sha256);
    expect(JSON.stringify(item)).not.toContain(f.server.dataDir);
    // The scanned duration went with the output, so the conversion did not probe its source again.
    const row = f.server.built.deps.db.prepare('SELECT source_seconds FROM conversion_outputs').get() as { source_seconds: number };
    expect(row.source_seconds).toBeCloseTo(item.MediaSource.RunTimeTicks / 10_000_000, 0);
  });

  it('a second device with the same profile reuses the output: no new conversion, ready at once', async () => {
    const before = ffmpegRuns();
    const tablet = await signIn(f.server.url, 'admin', 'pw', 'admin-tablet');
    await f.reportTarget(tablet);
    const res = await tablet.json('POST', '/Sync/Jobs', { TargetId: 'admin-tablet', ItemIds: f.ids['Remux Movie'], Quality: 'high' });
    expect(res.JobItems[0].Status).toBe('ReadyToTransfer');
    expect(ffmpegRuns()).toBe(before);
  });

  it('cancelling every job that uses an output deletes its files', async () => {
    const outputs = f.server.built.deps.db.prepare('SELECT key FROM conversion_outputs').all() as { key: string }[];
    expect(outputs.length).toBe(1);
    for (const s of [f.admin, await signIn(f.server.url, 'admin', 'pw', 'admin-tablet')]) {
      for (const j of (await s.json('GET', `/Sync/Jobs?TargetId=${s.deviceId}`)).Items) await s.req('DELETE', `/Sync/Jobs/${j.Id}`);
    }
    // Release runs after the cancelling request returns (it may have to stop ffmpeg first).
    const end = Date.now() + 10_000;
    while (ffmpegRuns() > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    expect(ffmpegRuns()).toBe(0);
    expect(fs.readdirSync(path.join(f.server.dataDir, 'sync')).filter((d) => /^[0-9a-f]{64}$/.test(d))).toEqual([]);
  });

  it('an edit that changes the quality re-plans items not yet on the device', async () => {
    const res = await f.admin.json('POST', '/Sync/Jobs', { TargetId: 'admin-phone', ItemIds: f.ids['Direct Movie'], Quality: 'high' });
    expect(res.JobItems[0].Status).toBe('ReadyToTransfer');
    expect(res.JobItems[0].Sha256).toBeUndefined();
    // 300 kbps is far below the ~700 kbps source: the item must now be transcoded.
    await f.admin.json('POST', `/Sync/Jobs/${res.Job.Id}`, { Quality: 'custom', Bitrate: 300000 });
    expect(['Queued', 'Converting']).toContain((await f.admin.json('GET', `/Sync/JobItems?JobId=${res.Job.Id}`)).Items[0].Status);
    const item = await waitForItem(f.admin, res.Job.Id, 'ReadyToTransfer');
    expect(ffmpegRuns()).toBe(1);
    expect(item.Sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(item.MediaSource.Bitrate).toBeLessThan(400_000);
    const job = await f.admin.json('GET', `/Sync/Jobs/${res.Job.Id}`);
    expect(job).toMatchObject({ Quality: 'custom', Bitrate: 300000 });
    await f.admin.req('DELETE', `/Sync/Jobs/${res.Job.Id}`);
  });
});
