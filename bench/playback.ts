/**
 * Online playback: time from "press play" to the first bytes a player can show — direct play (PlaybackInfo
 * + the first MiB of the file by Range) against an HLS remux and an HLS transcode (PlaybackInfo + master +
 * variant playlist + segment 0) — and the time to play after a far seek (a late segment, which restarts
 * ffmpeg there; for direct play a Range read at 80 %). 720p sources, medians of 3 runs.
 * `npx tsx bench/playback.ts` runs it alone.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { benchTempDir, startBenchServer, type BenchServer } from './harness.js';
import { makeVideo } from './media.js';
import { median, type BenchResult } from './report.js';
import type { DeviceProfile } from '../src/shared/profile/types.js';

const SECONDS = 40;
const RUNS = 3;

/** Chromium's shape: MP4 H.264/AAC plays; HLS (TS, H.264/AAC) streams the rest. */
const PROFILE: DeviceProfile = {
  MaxStreamingBitrate: 20_000_000,
  DirectPlayProfiles: [{ Container: 'mp4,m4v', VideoCodec: 'h264', AudioCodec: 'aac,mp3', Type: 'Video' }],
  TranscodingProfiles: [
    { Container: 'ts', Type: 'Video', VideoCodec: 'h264', AudioCodec: 'aac', Context: 'Streaming', Protocol: 'hls', MaxAudioChannels: '2' },
  ],
};

async function ok(res: Response, what: string): Promise<Buffer> {
  const body = Buffer.from(await res.arrayBuffer());
  if (!res.ok) throw new Error(`${what}: HTTP ${res.status} ${body.toString().slice(0, 200)}`);
  return body;
}

function resolveUrl(base: string, relative: string): string {
  const u = new URL(relative, `http://x${base}`);
  return u.pathname + u.search;
}

interface Timing {
  firstMs: number;
  seekMs: number;
}

async function timeDirect(s: BenchServer, id: string): Promise<Timing> {
  const t0 = performance.now();
  const info = await s.admin.json<any>('POST', `/Items/${id}/PlaybackInfo`, { DeviceProfile: PROFILE });
  const source = info.MediaSources[0];
  if (!source.SupportsDirectPlay) throw new Error('expected direct play');
  await ok(await s.admin.req('GET', source.DirectStreamUrl, undefined, { headers: { Range: 'bytes=0-1048575' } }), 'first MiB');
  const firstMs = performance.now() - t0;
  const at = Math.floor(source.Size * 0.8);
  const t1 = performance.now();
  await ok(await s.admin.req('GET', source.DirectStreamUrl, undefined, { headers: { Range: `bytes=${at}-${at + 1048575}` } }), 'seek MiB');
  return { firstMs, seekMs: performance.now() - t1 };
}

async function timeHls(s: BenchServer, id: string, expected: string): Promise<Timing> {
  const t0 = performance.now();
  const info = await s.admin.json<any>('POST', `/Items/${id}/PlaybackInfo`, { DeviceProfile: PROFILE });
  const source = info.MediaSources[0];
  if (source.PlayMethod !== expected) throw new Error(`expected ${expected}, got ${source.PlayMethod}`);
  const master = (await ok(await s.admin.req('GET', source.TranscodingUrl), 'master')).toString();
  const variantUrl = resolveUrl(
    source.TranscodingUrl,
    master.split('\n').find((l) => l && !l.startsWith('#'))!,
  );
  const variant = (await ok(await s.admin.req('GET', variantUrl), 'variant')).toString();
  const segments = variant
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => resolveUrl(variantUrl, l));
  await ok(await s.admin.req('GET', segments[0]!), 'segment 0');
  const firstMs = performance.now() - t0;
  const t1 = performance.now();
  await ok(await s.admin.req('GET', segments[segments.length - 3]!), 'far segment');
  const seekMs = performance.now() - t1;
  await s.admin.req('DELETE', `/Videos/ActiveEncodings?PlaySessionId=${info.PlaySessionId}`);
  return { firstMs, seekMs };
}

async function medianOf(run: () => Promise<Timing>): Promise<Timing> {
  const all: Timing[] = [];
  for (let i = 0; i < RUNS; i++) all.push(await run());
  return { firstMs: median(all.map((t) => t.firstMs)), seekMs: median(all.map((t) => t.seekMs)) };
}

export async function runPlaybackBench(): Promise<BenchResult[]> {
  const media = benchTempDir('playback');
  const movies = path.join(media, 'Movies');
  fs.mkdirSync(movies, { recursive: true });
  const video = { size: '1280x720', source: 'testsrc2' as const };
  await Promise.all([
    makeVideo(path.join(movies, 'Direct (2020).mp4'), { seconds: SECONDS, video: { codec: 'h264', ...video }, audio: { codec: 'aac' } }),
    makeVideo(path.join(movies, 'Remux (2020).mkv'), { seconds: SECONDS, video: { codec: 'h264', ...video }, audio: { codec: 'ac3' } }),
    makeVideo(path.join(movies, 'Transcode (2020).mkv'), { seconds: SECONDS, video: { codec: 'hevc', ...video }, audio: { codec: 'aac' } }),
  ]);
  const server = await startBenchServer(media);
  try {
    const direct = await medianOf(() => timeDirect(server, server.ids['Direct']!));
    const remux = await medianOf(() => timeHls(server, server.ids['Remux']!, 'Remux'));
    const transcode = await medianOf(() => timeHls(server, server.ids['Transcode']!, 'Transcode'));
    const r = (name: string, value: number, baseline?: number, target?: string): BenchResult => ({
      name: `playback: ${name}`,
      value: Math.round(value),
      unit: 'ms',
      ...(baseline ? { baseline: Math.round(baseline), ratio: Number((value / baseline).toFixed(2)) } : {}),
      ...(target ? { target, met: value < Number(target.replace(/[^\d.]/g, '')) } : {}),
    });
    return [
      r('first bytes, direct play (PlaybackInfo + 1 MiB)', direct.firstMs),
      r('first segment, HLS remux (720p, video copied)', remux.firstMs, direct.firstMs, '< 2000 ms'),
      r('first segment, HLS transcode (720p HEVC → H.264)', transcode.firstMs, direct.firstMs, '< 5000 ms'),
      r('far seek, direct play (Range at 80 %)', direct.seekMs),
      r('far seek, HLS remux (ffmpeg restarted there)', remux.seekMs, direct.seekMs, '< 2000 ms'),
      r('far seek, HLS transcode (ffmpeg restarted there)', transcode.seekMs, direct.seekMs, '< 5000 ms'),
    ];
  } finally {
    await server.close();
    fs.rmSync(media, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runPlaybackBench()
    .then((results) => {
      for (const x of results)
        console.log(
          `${x.name.padEnd(62)} ${String(x.value).padStart(6)} ${x.unit}${x.ratio !== undefined ? `  ×${x.ratio}` : ''}${x.target ? `  (${x.target}${x.met ? ' ✓' : ' ✗'})` : ''}`,
        );
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    });
}
