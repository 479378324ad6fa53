/**
 * Tiny clips for conversion tests, generated with lavfi (testsrc2 + sine) into a temp dir, once per test
 * file. Never committed; a few seconds each at 320x180 so a whole suite stays well under a minute.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import type { ConversionPlan, SubtitleAction, VideoEncode } from '../../src/shared/profile/decision.js';
import { migrate } from '../../src/server/db/migrate.js';
import type { Db } from '../../src/server/db/connection.js';
import type { Toolchain } from '../../src/server/media/toolchain.js';
import { testToolchain } from './toolchain.js';

const run = promisify(execFile);

/** The toolchain the server would choose (same selection code, shared verdict cache). */
export const binaries: Toolchain = await testToolchain();

export function tempDir(prefix = 'stowaway-convert-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function ffmpeg(args: string[]): Promise<void> {
  await run(binaries.ffmpeg, ['-hide_banner', '-nostdin', '-y', '-v', 'error', ...args]);
}

export async function ffprobeJson(file: string): Promise<{
  format: { format_name: string; duration?: string };
  streams: Array<{ index: number; codec_name: string; codec_type: string; width?: number; height?: number; pix_fmt?: string }>;
}> {
  const { stdout } = await run(binaries.ffprobe, ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file]);
  return JSON.parse(stdout);
}

const SRT = `1
00:00:00,500 --> 00:00:01,500
Hello from the embedded track

2
00:00:01,750 --> 00:00:02,900
Second line
`;

/** Accents that differ between UTF-8 and Windows-1252, and a time with milliseconds to check exactness. */
export const SIDECAR_TEXT = `1\r\n00:00:00,250 --> 00:00:01,125\r\nCafé déjà vu – naïve façade\r\n\r\n2\r\n00:00:01,500 --> 00:00:02,750\r\nÜber Straße, señor\r\n`;

export function lavfiVideo(seconds: number, size = '320x180', rate = 25): string[] {
  return [
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=${size}:rate=${rate}:duration=${seconds}`,
    '-f',
    'lavfi',
    '-i',
    `sine=frequency=440:sample_rate=48000:duration=${seconds}`,
  ];
}

export interface Clips {
  dir: string;
  /** 3 s H.264 + AC3 5.1 + an embedded English SRT, in MKV. Streams: 0 video, 1 audio, 2 subtitle. */
  h264Ac3Mkv: string;
  /** 3 s HEVC + AAC in MKV. */
  hevcMkv: string;
  /** 3 s FLAC (stream 0). */
  flac: string;
  /** 12 s 640x360 H.264 + AAC MKV: long enough to cancel or kill mid-run. */
  longMkv: string;
  /** Random bytes named .mkv. */
  corruptMkv: string;
  /** Direct-play MP4 with two sidecars next to it: Windows-1252 CRLF, and UTF-8 with BOM + CRLF. */
  directMp4: string;
  sidecar1252: string;
  sidecarBom: string;
}

export async function makeClips(which: Partial<Record<keyof Clips, boolean>> = {}): Promise<Clips> {
  const dir = tempDir('stowaway-clips-');
  const want = (k: keyof Clips) => which[k] ?? true;
  const c: Clips = {
    dir,
    h264Ac3Mkv: path.join(dir, 'Movie One.mkv'),
    hevcMkv: path.join(dir, 'hevc.mkv'),
    flac: path.join(dir, 'song.flac'),
    longMkv: path.join(dir, 'long.mkv'),
    corruptMkv: path.join(dir, 'corrupt.mkv'),
    directMp4: path.join(dir, 'direct.mp4'),
    sidecar1252: path.join(dir, 'direct.fr.srt'),
    sidecarBom: path.join(dir, 'direct.de.srt'),
  };
  const jobs: Promise<void>[] = [];
  if (want('h264Ac3Mkv')) {
    const srt = path.join(dir, 'embedded.srt');
    fs.writeFileSync(srt, SRT);
    jobs.push(
      ffmpeg([
        ...lavfiVideo(3),
        '-i',
        srt,
        '-map',
        '0:v',
        '-map',
        '1:a',
        '-map',
        '2:s',
        '-c:v',
        'libx264',
        '-preset',
        'ultrafast',
        '-pix_fmt',
        'yuv420p',
        '-c:a',
        'ac3',
        '-ac',
        '6',
        '-b:a',
        '192k',
        '-c:s',
        'srt',
        '-metadata:s:s:0',
        'language=eng',
        '-metadata:s:a:0',
        'language=eng',
        c.h264Ac3Mkv,
      ]),
    );
  }
  if (want('hevcMkv')) {
    jobs.push(
      ffmpeg([
        ...lavfiVideo(3),
        '-c:v',
        'libx265',
        '-preset',
        'ultrafast',
        '-x265-params',
        'log-level=error',
        '-pix_fmt',
        'yuv420p',
        '-c:a',
        'aac',
        '-b:a',
        '96k',
        c.hevcMkv,
      ]),
    );
  }
  if (want('flac')) {
    jobs.push(ffmpeg(['-f', 'lavfi', '-i', 'sine=frequency=330:sample_rate=44100:duration=3', '-c:a', 'flac', c.flac]));
  }
  if (want('longMkv')) {
    jobs.push(
      ffmpeg([
        ...lavfiVideo(12, '640x360'),
        '-c:v',
        'libx264',
        '-preset',
        'ultrafast',
        '-pix_fmt',
        'yuv420p',
        '-c:a',
        'aac',
        '-b:a',
        '96k',
        c.longMkv,
      ]),
    );
  }
  if (want('corruptMkv')) {
    // An EBML magic number followed by garbage: ffmpeg opens it as Matroska and then fails.
    fs.writeFileSync(c.corruptMkv, Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3]), Buffer.alloc(4096, 0x5a)]));
  }
  if (want('directMp4')) {
    jobs.push(
      ffmpeg([
        ...lavfiVideo(3),
        '-c:v',
        'libx264',
        '-preset',
        'ultrafast',
        '-pix_fmt',
        'yuv420p',
        '-c:a',
        'aac',
        '-b:a',
        '96k',
        '-movflags',
        '+faststart',
        c.directMp4,
      ]),
    );
    // Windows-1252 puts the en dash at 0x96, which Latin-1 encoding of U+0096 produces.
    fs.writeFileSync(c.sidecar1252, Buffer.from(SIDECAR_TEXT.replace('–', '\u0096'), 'latin1'));
    fs.writeFileSync(c.sidecarBom, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(SIDECAR_TEXT, 'utf8')]));
  }
  await Promise.all(jobs);
  return c;
}

/** A migrated database in a temp dir. */
export function testDb(dir: string): Db {
  const db = new Database(path.join(dir, 'test.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  migrate(db);
  return db;
}

/** A job item referencing `key`, so the output counts as wanted. */
export function addJobItem(db: Db, key: string, status = 'Queued', jobId = 'j1'): string {
  db.prepare(
    `INSERT OR IGNORE INTO sync_jobs (id, user_id, target_id, name, quality, date_created, date_last_modified) VALUES (?, 'u1', 't1', 'J', 'high', 'x', 'x')`,
  ).run(jobId);
  const id = `ji-${Math.random().toString(36).slice(2)}`;
  db.prepare(
    `INSERT INTO sync_job_items (id, job_id, item_id, target_id, item_name, status, job_item_index, output_key, date_created, date_modified)
     VALUES (?, ?, 'i1', 't1', 'M', ?, 0, ?, 'x', 'x')`,
  ).run(id, jobId, status, key);
  return id;
}

// ---------------------------------------------------------------------------------------------------------
// Plan builders: say only what the test is about.

export function extractSub(index: number, extra: Partial<SubtitleAction> = {}): SubtitleAction {
  return { index, external: false, codec: 'srt', forced: false, action: 'extract', format: 'vtt', ...extra };
}

export function aRemuxPlan(extra: Partial<Extract<ConversionPlan, { kind: 'remux' }>> = {}): ConversionPlan {
  return {
    kind: 'remux',
    container: 'mp4',
    video: { copy: true, streamIndex: 0, codec: 'h264' },
    audio: [{ streamIndex: 1, action: 'encode', codec: 'aac', bitrate: 128_000, channels: 2 }],
    subtitles: [],
    reasons: [],
    ...extra,
  };
}

export function aVideoEncode(extra: Partial<VideoEncode> = {}): VideoEncode {
  return {
    streamIndex: 0,
    codec: 'h264',
    width: 320,
    height: 180,
    maxBitrate: 800_000,
    bitrate: 700_000,
    bufsize: 1_600_000,
    pixFmt: 'yuv420p',
    keyframeIntervalSeconds: 3,
    gop: 75,
    profile: 'high',
    ...extra,
  };
}

export function aTranscodePlan(extra: Partial<Extract<ConversionPlan, { kind: 'transcode' }>> = {}): ConversionPlan {
  return {
    kind: 'transcode',
    container: 'mp4',
    video: aVideoEncode(),
    audio: [{ streamIndex: 1, action: 'encode', codec: 'aac', bitrate: 96_000, channels: 2 }],
    subtitles: [],
    reasons: [],
    ...extra,
  };
}

/** Top-level MP4 box types in order, to check +faststart (moov before mdat). */
export function mp4TopLevelBoxes(file: string): string[] {
  const buf = fs.readFileSync(file);
  const boxes: string[] = [];
  let pos = 0;
  while (pos + 8 <= buf.length) {
    let size = buf.readUInt32BE(pos);
    const type = buf.toString('latin1', pos + 4, pos + 8);
    if (size === 1) size = Number(buf.readBigUInt64BE(pos + 8));
    else if (size === 0) size = buf.length - pos;
    boxes.push(type);
    if (size < 8) break;
    pos += size;
  }
  return boxes;
}
