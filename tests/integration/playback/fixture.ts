/**
 * A real server with a small library for playback tests: an H.264/AAC MP4 (direct play), an H.264/AC3 MKV
 * (remux: video copied, audio converted), a 90 s HEVC MKV (transcode; long enough that a far seek must
 * restart ffmpeg), an MKV with an embedded SRT and a sidecar .srt, and a FLAC song (audio stream).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { makeClip, makeSrt, mediaBinaries, tempDir } from '../../helpers/media.js';
import { signIn, startTestServer, type Session, type TestServer } from '../../helpers/server.js';
import { ensureAdministrator } from '../../../src/server/system/firstRun.js';
import type { DeviceProfile } from '../../../src/shared/profile/types.js';

/** What Chromium reports, in short: MP4 H.264/AAC and MP3 play; HLS in TS with H.264/AAC streams. */
export const BROWSER_PROFILE: DeviceProfile = {
  MaxStreamingBitrate: 20_000_000,
  MaxStaticBitrate: 40_000_000,
  DirectPlayProfiles: [
    { Container: 'mp4,m4v', VideoCodec: 'h264', AudioCodec: 'aac,mp3', Type: 'Video' },
    { Container: 'mp3', Type: 'Audio' },
  ],
  TranscodingProfiles: [
    { Container: 'mp4', Type: 'Video', VideoCodec: 'h264', AudioCodec: 'aac', Context: 'Static', Protocol: 'http' },
    { Container: 'ts', Type: 'Video', VideoCodec: 'h264', AudioCodec: 'aac', Context: 'Streaming', Protocol: 'hls', MaxAudioChannels: '2' },
    { Container: 'ts', Type: 'Audio', AudioCodec: 'aac', Context: 'Streaming', Protocol: 'hls' },
  ],
  SubtitleProfiles: [{ Format: 'vtt', Method: 'External' }],
};

export interface PlaybackFixture {
  server: TestServer;
  media: string;
  admin: Session;
  ids: Record<string, string>;
  pathOf(name: string): string;
}

export async function startPlaybackFixture(): Promise<PlaybackFixture> {
  const media = tempDir('stowaway-playback-media-');
  const movies = path.join(media, 'Movies');
  const music = path.join(media, 'Music', 'Tone Artist', 'Tones (2020)');
  fs.mkdirSync(movies, { recursive: true });
  fs.mkdirSync(music, { recursive: true });
  const files: Record<string, string> = {};
  const clip = async (name: string, file: string, o: Parameters<typeof makeClip>[2]) => {
    files[name] = await makeClip(movies, file, o);
  };
  await Promise.all([
    clip('Direct Movie', 'Direct Movie (2020).mp4', { seconds: 8 }),
    clip('Remux Movie', 'Remux Movie (2021).mkv', { seconds: 12, acodec: 'ac3' }),
    clip('Hevc Movie', 'Hevc Movie (2022).mkv', { seconds: 90, vcodec: 'hevc' }),
    clip('Subtitled Movie', 'Subtitled Movie (2023).mkv', { seconds: 6, subtitles: 'srt' }),
    clip('Broken Movie', 'Broken Movie (2024).mkv', { seconds: 6, acodec: 'ac3' }),
    (async () => {
      files['Flac Tone'] = await makeClip(music, '01 - Flac Tone.flac', {
        vcodec: null,
        acodec: 'flac',
        seconds: 8,
        metadata: { title: 'Flac Tone', album: 'Tones', artist: 'Tone Artist' },
      });
    })(),
  ]);
  makeSrt(movies, 'Subtitled Movie (2023).en.srt', 'A sidecar line.');
  const server = await startTestServer({ mediaDirs: [media], adminUser: 'admin', adminPassword: 'pw' });
  await ensureAdministrator(server.built.deps);
  await server.built.deps.library.scanner.scan();
  const admin = await signIn(server.url, 'admin', 'pw', 'player-tab');
  const rows = server.built.deps.db.prepare('SELECT id, name FROM items').all() as { id: string; name: string }[];
  const ids = Object.fromEntries(rows.map((r) => [r.name, r.id]));
  return { server, media, admin, ids, pathOf: (name) => files[name]! };
}

const run = promisify(execFile);

/**
 * Start and duration of a media file from ffmpeg's own input dump. ffprobe would be the natural tool, but
 * the npm ffprobe build segfaults on MPEG-TS input (measured here: exit 139 on any .ts file).
 */
export async function mediaTiming(file: string): Promise<{ start: number; duration: number; streams: string }> {
  let stderr = '';
  try {
    await run(mediaBinaries().ffmpeg, ['-hide_banner', '-i', file]);
  } catch (err) {
    stderr = (err as { stderr?: string }).stderr ?? '';
  }
  const d = /Duration:\s*(\d+):(\d\d):(\d\d(?:\.\d+)?),\s*start:\s*(-?[\d.]+)/.exec(stderr);
  if (!d) throw new Error(`no duration in ffmpeg's dump of ${file}:\n${stderr}`);
  return {
    duration: Number(d[1]) * 3600 + Number(d[2]) * 60 + Number(d[3]),
    start: Number(d[4]),
    streams: stderr
      .split('\n')
      .filter((l) => /Stream #/.test(l))
      .join('\n'),
  };
}

/** Whether a process id is still alive (signal 0 checks without touching it). */
export function isAlive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
