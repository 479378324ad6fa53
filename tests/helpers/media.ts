/**
 * Test media made on the spot with ffmpeg's lavfi sources: seconds long, small, never committed
 * (README §5). Builders for clips, stills and deliberately broken files.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Toolchain } from '../../src/server/media/toolchain.js';
import { testToolchain } from './toolchain.js';
import {
  srtText,
  writeClip,
  writeStill,
  type AudioCodec,
  type ClipSpec,
  type SubtitleCodec,
  type VideoCodec,
} from '../../src/server/library/clipWriter.js';

// Chosen once per test process, by the server's own selection (self-tested, cached across runs).
const toolchain = await testToolchain();
export function mediaBinaries(): Toolchain {
  return toolchain;
}

export function tempDir(prefix = 'stowaway-media-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface ClipOptions {
  /** null for an audio-only file. */
  vcodec?: VideoCodec | null;
  /** null for a silent video. */
  acodec?: AudioCodec | null;
  seconds?: number;
  size?: string;
  bitrate?: string;
  source?: NonNullable<ClipSpec['video']>['source'];
  /** Embed a subtitle track of this codec (mov_text for MP4, srt/ass for MKV). */
  subtitles?: SubtitleCodec;
  subtitleLanguage?: string;
  audioLanguage?: string;
  frequency?: number;
  metadata?: Record<string, string>;
  /** Attach this image as cover art. */
  cover?: string;
}

/** Writes `dir/name` (container from the extension) and returns its path. */
export async function makeClip(dir: string, name: string, o: ClipOptions = {}): Promise<string> {
  const out = path.join(dir, name);
  const seconds = o.seconds ?? 2;
  const spec: ClipSpec = { seconds, metadata: o.metadata, cover: o.cover };
  if (o.vcodec !== null) spec.video = { codec: o.vcodec ?? 'h264', size: o.size ?? '320x180', bitrate: o.bitrate, source: o.source };
  if (o.acodec !== null) spec.audio = { codec: o.acodec ?? 'aac', frequency: o.frequency, language: o.audioLanguage };
  if (o.subtitles) {
    const srt = path.join(tempDir('stowaway-srt-'), 'embedded.srt');
    fs.writeFileSync(srt, srtText([[0.1, Math.max(0.5, seconds - 0.2), 'An embedded line of dialogue.']]));
    spec.subtitles = { srtFile: srt, codec: o.subtitles, language: o.subtitleLanguage ?? 'eng' };
  }
  await writeClip(mediaBinaries().ffmpeg, spec, out);
  return out;
}

/** A still image (png or jpg by extension) from a lavfi source. */
export async function makeImage(dir: string, name: string, source = 'testsrc2=size=320x240'): Promise<string> {
  const out = path.join(dir, name);
  await writeStill(mediaBinaries().ffmpeg, out, source);
  return out;
}

export function makeSrt(dir: string, name: string, text = 'A sidecar line.'): string {
  const out = path.join(dir, name);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, srtText([[0.2, 1.5, text]]));
  return out;
}

/** Broken inputs a real library contains: empty, truncated, and text wearing a media extension. */
export function makeEmptyFile(dir: string, name: string): string {
  const out = path.join(dir, name);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, '');
  return out;
}

export function makeTruncatedCopy(source: string, dir: string, name: string, bytes = 300): string {
  const out = path.join(dir, name);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, fs.readFileSync(source).subarray(0, bytes));
  return out;
}

export function makeTextFile(dir: string, name: string, text = 'This is not a video, it is a shopping list.\n'): string {
  const out = path.join(dir, name);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, text);
  return out;
}
