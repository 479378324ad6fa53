/**
 * What each problem file becomes at scan, on real files through a real server: a cut MP4/MKV/AVI stays in
 * the library marked incomplete (listed in the scan report, failed by sync with the reason); an empty file
 * and garbage are skipped with a reason; a macOS "._" file is ignored; a TV recording (MPEG-TS) is read.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEmptyFile, mediaBinaries, makeTextFile } from '../../helpers/media.js';
import { mkdirs, startMediaServer, type MediaServer } from '../sync/conversionFixture.js';

/** 10 s of 25 fps video + audio, interleaved, in the format of `name`'s extension. */
function makeTenSeconds(dir: string, name: string, extra: string[] = []): string {
  const out = path.join(dir, name);
  execFileSync(mediaBinaries().ffmpeg, [
    ...['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=25:duration=10'],
    ...['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000:duration=10'],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-b:v', '400k', '-c:a', 'aac', ...extra, out],
  ]);
  return out;
}

function cutInHalf(file: string, to: string): void {
  const bytes = fs.readFileSync(file);
  fs.writeFileSync(to, bytes.subarray(0, Math.floor(bytes.length / 2)));
  fs.rmSync(file);
}

let f: MediaServer;
let issues: Array<{ Path: string; Reason: string }>;
const reasonFor = (name: string) => issues.find((i) => path.basename(i.Path) === name)?.Reason;

beforeAll(async () => {
  f = await startMediaServer(async (media) => {
    const movies = mkdirs(media, 'Movies');
    const scratch = mkdirs(media, '.scratch');
    makeTenSeconds(movies, 'Whole (2020).mp4', ['-movflags', '+faststart']);
    cutInHalf(makeTenSeconds(scratch, 'a.mp4', ['-movflags', '+faststart']), path.join(movies, 'Cut Faststart (2020).mp4'));
    cutInHalf(makeTenSeconds(scratch, 'b.mkv'), path.join(movies, 'Cut Matroska (2020).mkv'));
    cutInHalf(makeTenSeconds(scratch, 'c.avi', ['-c:v', 'mpeg4', '-c:a', 'libmp3lame']), path.join(movies, 'Cut Avi (2020).avi'));
    makeTenSeconds(movies, 'Recording (2021).ts', ['-f', 'mpegts']);
    makeEmptyFile(movies, 'Empty (2020).mp4');
    makeTextFile(movies, 'Garbage (2020).mkv', 'not a video at all\n'.repeat(50));
    // What macOS leaves on a shared disk beside every file: an AppleDouble resource file.
    fs.writeFileSync(path.join(movies, '._Whole (2020).mp4'), Buffer.concat([Buffer.from([0, 5, 22, 7, 0, 2, 0, 0]), Buffer.alloc(4088)]));
    fs.rmSync(scratch, { recursive: true });
  });
  issues = (await f.admin.json('GET', '/Library/ScanReport')).Issues;
}, 180_000);

afterAll(() => f?.server.close());

describe('problem files at scan', () => {
  it('marks a faststart MP4 cut in the middle as incomplete, with where it ends', () => {
    expect(reasonFor('Cut Faststart (2020).mp4')).toMatch(/^the file ends at 0:0[3-6] of 0:10 — it is incomplete$/);
    expect(f.ids['Cut Faststart']).toBeDefined();
  });

  it('marks cut Matroska and AVI files as incomplete too', () => {
    expect(reasonFor('Cut Matroska (2020).mkv')).toMatch(/^the file ends at 0:0[3-6] of 0:10 — it is incomplete$/);
    expect(reasonFor('Cut Avi (2020).avi')).toMatch(/^the file holds (49|50) % of the bytes its RIFF chunk declares — it is incomplete$/);
  });

  it('accepts whole files and reads an MPEG-TS recording', () => {
    expect(reasonFor('Whole (2020).mp4')).toBeUndefined();
    expect(reasonFor('Recording (2021).ts')).toBeUndefined();
    expect(f.ids['Recording']).toBeDefined();
    const row = f.server.built.deps.db.prepare('SELECT container, run_time_ticks FROM items WHERE id = ?').get(f.ids['Recording']) as {
      container: string;
      run_time_ticks: number;
    };
    expect(row.container).toBe('ts');
    expect(row.run_time_ticks / 1e7).toBeCloseTo(10, 0);
  });

  it('skips an empty file and garbage with a reason, and ignores macOS resource files', () => {
    expect(reasonFor('Empty (2020).mp4')).toBe('empty file (0 bytes)');
    expect(reasonFor('Garbage (2020).mkv')).toMatch(/^unreadable media: \S/);
    expect(f.ids['Empty']).toBeUndefined();
    expect(issues.some((i) => path.basename(i.Path).startsWith('._'))).toBe(false);
    expect(Object.keys(f.ids).some((n) => n.startsWith('._'))).toBe(false);
  });

  it('keeps listing an incomplete file on the next scan, when it is not probed again', async () => {
    await f.server.built.deps.library.scanner.scan();
    issues = (await f.admin.json('GET', '/Library/ScanReport')).Issues;
    expect(reasonFor('Cut Faststart (2020).mp4')).toMatch(/it is incomplete$/);
  });

  it('fails a sync job item for an incomplete file with the reason instead of sending it as whole', async () => {
    const job = await f.admin.json('POST', '/Sync/Jobs', { TargetId: 'admin-phone', ItemIds: f.ids['Cut Faststart'], Quality: 'original' });
    const item = (await f.admin.json('GET', `/Sync/JobItems?JobId=${job.Job.Id}`)).Items[0];
    expect(item.Status).toBe('Failed');
    expect(item.ErrorMessage).toMatch(/^The file ends at 0:0[3-6] of 0:10 — it is incomplete$/);
    const whole = await f.admin.json('POST', '/Sync/Jobs', { TargetId: 'admin-phone', ItemIds: f.ids['Whole'], Quality: 'original' });
    await f.waitForItem(f.admin, whole.Job.Id, 'ReadyToTransfer');
  });
});
