import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER_PROFILE, isAlive, mediaTiming, startPlaybackFixture, type PlaybackFixture } from './fixture.js';

let f: PlaybackFixture;
beforeAll(async () => {
  f = await startPlaybackFixture();
}, 180_000);
afterAll(async () => {
  await f?.server.close();
  if (f) fs.rmSync(f.media, { recursive: true, force: true });
});

interface PlaybackInfo {
  PlaySessionId: string;
  MediaSources: Array<Record<string, any>>;
}

async function playbackInfo(name: string, extra: Record<string, unknown> = {}): Promise<PlaybackInfo> {
  return f.admin.json<PlaybackInfo>('POST', `/Items/${f.ids[name]}/PlaybackInfo`, { DeviceProfile: BROWSER_PROFILE, ...extra });
}

/** Resolves a playlist-relative URL against the playlist's own path. */
function resolve(base: string, relative: string): string {
  return new URL(relative, `http://x${base}`).pathname + new URL(relative, `http://x${base}`).search;
}

async function text(p: string): Promise<string> {
  const res = await f.admin.req('GET', p);
  expect(res.status, `${p}: ${res.status}`).toBe(200);
  return res.text();
}

async function variantOf(info: PlaybackInfo): Promise<{ master: string; variantPath: string; variant: string; segments: string[] }> {
  const url = info.MediaSources[0]!.TranscodingUrl as string;
  const master = await text(url);
  const variantPath = resolve(
    url,
    master.split('\n').find((l) => l && !l.startsWith('#'))!,
  );
  const variant = await text(variantPath);
  const segments = variant
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => resolve(variantPath, l));
  return { master, variantPath, variant, segments };
}

async function saveSegment(p: string, name: string): Promise<{ file: string; ms: number }> {
  const t0 = performance.now();
  const res = await f.admin.req('GET', p);
  const body = Buffer.from(await res.arrayBuffer());
  const ms = performance.now() - t0;
  expect(res.status, `${p}: ${body.toString().slice(0, 200)}`).toBe(200);
  const file = path.join(os.tmpdir(), `stowaway-seg-${process.pid}-${name}`);
  fs.writeFileSync(file, body);
  return { file, ms };
}

const registry = () => f.server.built.deps.playback;

describe('PlaybackInfo', () => {
  it('direct-plays an MP4 the browser plays, with a Range-able static URL', async () => {
    const info = await playbackInfo('Direct Movie');
    const source = info.MediaSources[0]!;
    expect(info.PlaySessionId).toMatch(/^[0-9a-f]{32}$/);
    expect(source).toMatchObject({
      SupportsDirectPlay: true,
      SupportsDirectStream: true,
      SupportsTranscoding: false,
      PlayMethod: 'DirectPlay',
    });
    expect(source.TranscodingUrl).toBeUndefined();
    const res = await f.admin.req('GET', source.DirectStreamUrl, undefined, { Range: 'bytes=0-99' });
    expect(res.status).toBe(206);
  });

  it('remuxes H.264 with AC3 into HLS (video copied) and transcodes HEVC', async () => {
    const remux = (await playbackInfo('Remux Movie')).MediaSources[0]!;
    expect(remux).toMatchObject({
      SupportsDirectPlay: false,
      SupportsTranscoding: true,
      PlayMethod: 'Remux',
      TranscodingSubProtocol: 'hls',
      TranscodingContainer: 'ts',
    });
    expect(remux.TranscodingUrl).toMatch(/^\/Videos\/[0-9a-f]{32}\/master\.m3u8\?.*PlaySessionId=/);
    const hevc = (await playbackInfo('Hevc Movie')).MediaSources[0]!;
    expect(hevc).toMatchObject({ SupportsDirectPlay: false, SupportsTranscoding: true, PlayMethod: 'Transcode' });
  });

  it('streams a direct-playable file when the client picks a non-default audio track or disables direct play', async () => {
    const source = (await playbackInfo('Direct Movie', { EnableDirectPlay: false })).MediaSources[0]!;
    expect(source.PlayMethod).toBe('Remux');
    expect(source.TranscodingUrl).toBeDefined();
  });

  it('describes text subtitles as WebVTT delivery URLs', async () => {
    const source = (await playbackInfo('Subtitled Movie')).MediaSources[0]!;
    const subs = (source.MediaStreams as Array<Record<string, any>>).filter((s) => s.Type === 'Subtitle');
    expect(subs.length).toBe(2);
    for (const s of subs) {
      expect(s.DeliveryMethod).toBe('External');
      expect(s.DeliveryUrl).toMatch(/\/Subtitles\/\d+\/Stream\.vtt/);
    }
  });

  it('answers 404 for an unknown item and for a file that vanished', async () => {
    const unknown = await f.admin.req('POST', '/Items/0123456789abcdef0123456789abcdef/PlaybackInfo', { DeviceProfile: BROWSER_PROFILE });
    expect(unknown.status).toBe(404);
    const gone = path.join(f.media, 'Movies', 'Gone Movie (2019).mp4');
    fs.copyFileSync(f.pathOf('Direct Movie'), gone);
    await f.server.built.deps.library.scanner.scan();
    const id = (f.server.built.deps.db.prepare("SELECT id FROM items WHERE name = 'Gone Movie'").get() as { id: string }).id;
    fs.rmSync(gone);
    const res = await f.admin.req('POST', `/Items/${id}/PlaybackInfo`, { DeviceProfile: BROWSER_PROFILE });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: 'NotFound', message: 'The media file is missing' });
    const master = await f.admin.req('GET', `/Videos/${id}/master.m3u8?PlaySessionId=abc`);
    expect(master.status).toBe(404);
  });
});

describe('HLS', () => {
  it('writes a master playlist with BANDWIDTH, RESOLUTION and CODECS and a VOD variant listing every segment', async () => {
    const info = await playbackInfo('Hevc Movie');
    const { master, variant, segments } = await variantOf(info);
    expect(master).toMatch(/^#EXTM3U\n/);
    expect(master).toMatch(
      /#EXT-X-STREAM-INF:BANDWIDTH=\d+,AVERAGE-BANDWIDTH=\d+,RESOLUTION=320x180,CODECS="avc1\.64[0-9a-f]{4},mp4a\.40\.2"/,
    );
    expect(variant).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
    expect(variant).toContain('#EXT-X-TARGETDURATION:3');
    expect(variant.trimEnd().endsWith('#EXT-X-ENDLIST')).toBe(true);
    expect(segments).toHaveLength(30);
    expect(segments[0]).toMatch(/\/hls1\/main\/0\.ts\?.*PlaySessionId=/);
    await f.admin.req('DELETE', `/Videos/ActiveEncodings?PlaySessionId=${info.PlaySessionId}`);
  });

  it('transcodes segments whose durations are within 0.5 s of the target', async () => {
    const info = await playbackInfo('Hevc Movie');
    const { segments } = await variantOf(info);
    const starts: number[] = [];
    for (let i = 0; i < 4; i++) {
      const { file } = await saveSegment(segments[i]!, `hevc-${i}.ts`);
      const t = await mediaTiming(file);
      expect(t.streams).toMatch(/Video: h264/);
      expect(Math.abs(t.duration - 3), `segment ${i} lasts ${t.duration}`).toBeLessThanOrEqual(0.5);
      starts.push(t.start);
      fs.rmSync(file);
    }
    // Consecutive segments follow each other on one timeline.
    for (let i = 1; i < starts.length; i++) expect(Math.abs(starts[i]! - starts[i - 1]! - 3)).toBeLessThanOrEqual(0.5);
    await f.admin.req('DELETE', `/Videos/ActiveEncodings?PlaySessionId=${info.PlaySessionId}`);
  });

  it('restarts ffmpeg at a far-ahead segment instead of waiting, and keeps its timestamps absolute', async () => {
    const info = await playbackInfo('Hevc Movie');
    const { segments } = await variantOf(info);
    await saveSegment(segments[0]!, 'seek-0.ts');
    const session = registry().get(info.PlaySessionId)!;
    const runsBefore = session.runCount;
    const { file, ms } = await saveSegment(segments[25]!, 'seek-25.ts');
    expect(session.runCount).toBe(runsBefore + 1);
    expect(ms).toBeLessThan(5000);
    const t = await mediaTiming(file);
    // 25 × 3 s, plus the MPEG-TS muxer's fixed start delay (1.4 s).
    expect(t.start).toBeGreaterThan(74);
    expect(t.start).toBeLessThan(77.5);
    expect(Math.abs(t.duration - 3)).toBeLessThanOrEqual(0.5);
    fs.rmSync(file);
    await f.admin.req('DELETE', `/Videos/ActiveEncodings?PlaySessionId=${info.PlaySessionId}`);
  });

  it('remuxes AC3 to AAC with the video copied', async () => {
    const info = await playbackInfo('Remux Movie');
    const { master, segments } = await variantOf(info);
    expect(master).toContain('CODECS="avc1.');
    expect(segments).toHaveLength(4);
    const { file } = await saveSegment(segments[1]!, 'remux-1.ts');
    const t = await mediaTiming(file);
    expect(t.streams).toMatch(/Video: h264/);
    expect(t.streams).toMatch(/Audio: aac/);
    fs.rmSync(file);
    await f.admin.req('DELETE', `/Videos/ActiveEncodings?PlaySessionId=${info.PlaySessionId}`);
  });

  it('streams unplayable audio as audio-only HLS', async () => {
    const source = (await playbackInfo('Flac Tone')).MediaSources[0]!;
    expect(source.PlayMethod).toBe('Transcode');
    expect(source.TranscodingUrl).toMatch(/^\/Audio\//);
    const { master, segments } = await variantOf({ PlaySessionId: '', MediaSources: [source] });
    expect(master).toContain('CODECS="mp4a.40.2"');
    const { file } = await saveSegment(segments[0]!, 'audio-0.ts');
    const t = await mediaTiming(file);
    expect(t.streams).toMatch(/Audio: aac/);
    expect(t.streams).not.toMatch(/Video:/);
    fs.rmSync(file);
  });

  it('answers a clear error, quickly, when ffmpeg cannot read the source', async () => {
    const info = await playbackInfo('Broken Movie');
    fs.writeFileSync(f.pathOf('Broken Movie'), 'not a video any more');
    const { segments } = await variantOf(info);
    const t0 = performance.now();
    const res = await f.admin.req('GET', segments[0]!);
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(res.status).toBe(500);
    expect(res.headers.get('x-application-error-code')).toBe('TranscodeFailed');
    const body = (await res.json()) as { error: string; message: string };
    expect(body.error).toBe('TranscodeFailed');
    expect(body.message).toMatch(/^The server could not convert this file for streaming: \S/);
  });
});

describe('encoder lifetime', () => {
  async function startEncoder(): Promise<{ id: string; pid: number; dir: string }> {
    const info = await playbackInfo('Hevc Movie');
    const { segments } = await variantOf(info);
    await saveSegment(segments[0]!, 'life-0.ts');
    const session = registry().get(info.PlaySessionId)!;
    const pid = session.pid!;
    expect(isAlive(pid)).toBe(true);
    return { id: info.PlaySessionId, pid, dir: path.join(registry().root, info.PlaySessionId) };
  }

  const waitFor = async (check: () => boolean, ms = 5000) => {
    const end = Date.now() + ms;
    while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    return check();
  };

  it('kills ffmpeg and deletes the segments on DELETE /Videos/ActiveEncodings', async () => {
    const { id, pid, dir } = await startEncoder();
    expect(fs.existsSync(dir)).toBe(true);
    const res = await f.admin.req('DELETE', `/Videos/ActiveEncodings?PlaySessionId=${id}`);
    expect(res.status).toBe(204);
    expect(await waitFor(() => !isAlive(pid))).toBe(true);
    expect(await waitFor(() => !fs.existsSync(dir))).toBe(true);
    expect(registry().get(id)).toBeUndefined();
  });

  it('kills ffmpeg when the player reports Stopped with its PlaySessionId', async () => {
    const { id, pid, dir } = await startEncoder();
    const res = await f.admin.req('POST', '/Sessions/Playing/Stopped', {
      ItemId: f.ids['Hevc Movie'],
      PositionTicks: 0,
      PlaySessionId: id,
    });
    expect(res.status).toBe(204);
    expect(await waitFor(() => !isAlive(pid))).toBe(true);
    expect(await waitFor(() => !fs.existsSync(dir))).toBe(true);
  });

  it('kills ffmpeg of a client that went away, after the idle timeout', async () => {
    registry().configure({ idleTimeoutMs: 1000 });
    try {
      const { pid, dir } = await startEncoder();
      expect(await waitFor(() => !isAlive(pid), 4000)).toBe(true);
      expect(await waitFor(() => !fs.existsSync(dir))).toBe(true);
    } finally {
      registry().configure({ idleTimeoutMs: 45_000 });
    }
  });

  it('stops every encoder when the server closes', async () => {
    const { pid } = await startEncoder();
    await registry().close();
    expect(isAlive(pid)).toBe(false);
    expect(fs.existsSync(registry().root)).toBe(false);
  });
});

describe('subtitles', () => {
  it('extracts an embedded SRT and converts a sidecar to WebVTT on demand', async () => {
    const source = (await playbackInfo('Subtitled Movie')).MediaSources[0]!;
    const subs = (source.MediaStreams as Array<Record<string, any>>).filter((s) => s.Type === 'Subtitle');
    const embedded = await text(subs.find((s) => !s.IsExternal)!.DeliveryUrl);
    expect(embedded).toMatch(/^WEBVTT/);
    expect(embedded).toContain('An embedded line of dialogue.');
    const sidecar = await text(subs.find((s) => s.IsExternal)!.DeliveryUrl);
    expect(sidecar).toMatch(/^WEBVTT/);
    expect(sidecar).toContain('A sidecar line.');
    const missing = await f.admin.req('GET', `/Videos/${f.ids['Subtitled Movie']}/${f.ids['Subtitled Movie']}/Subtitles/99/Stream.vtt`);
    expect(missing.status).toBe(404);
  });

  // Runs last in this file: it replaces the Subtitled Movie's file with garbage.
  it('answers 500 SubtitleFailed with the reason when ffmpeg cannot extract the subtitle', async () => {
    const source = (await playbackInfo('Subtitled Movie')).MediaSources[0]!;
    const embedded = (source.MediaStreams as Array<Record<string, any>>).find((s) => s.Type === 'Subtitle' && !s.IsExternal)!;
    // A new size means a new cache key: the earlier extraction cannot answer for the broken file.
    fs.writeFileSync(f.pathOf('Subtitled Movie'), 'not a video any more');
    const res = await f.admin.req('GET', embedded.DeliveryUrl);
    expect(res.status).toBe(500);
    expect(res.headers.get('x-application-error-code')).toBe('SubtitleFailed');
    const body = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['error', 'message']);
    expect(body.error).toBe('SubtitleFailed');
    expect(body.message).toMatch(/^The subtitle could not be converted: \S/);
  });
});
