/**
 * Short media files from ffmpeg's lavfi test sources: the argument list for a clip spec (video, audio,
 * embedded subtitles, cover art, tags), and writers that put a clip or a still under a hidden temp name and
 * rename it when ffmpeg is done. The demo library (demoCatalog.ts), the tests' media builders and the
 * benchmarks all make their files here.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export type VideoCodec = 'h264' | 'hevc' | 'vp9';
export type AudioCodec = 'aac' | 'ac3' | 'mp3' | 'opus' | 'flac';
export type SubtitleCodec = 'mov_text' | 'srt' | 'ass' | 'webvtt';

export interface ClipSpec {
  seconds: number;
  /** Omit for audio-only files. */
  video?: {
    codec: VideoCodec;
    size?: string;
    /** e.g. "7M": constant bitrate (x264 pads with filler), for "over the cap" cases. */
    bitrate?: string;
    source?: 'testsrc2' | 'smptebars' | 'mandelbrot' | 'rgbtestsrc';
    fps?: number;
  };
  audio?: { codec: AudioCodec; frequency?: number; channels?: number; language?: string };
  /** An SRT file to embed, converted to `codec` (mov_text for MP4, srt/ass for MKV). */
  subtitles?: { srtFile: string; codec: SubtitleCodec; language?: string; title?: string };
  /** An image file to attach as cover art (audio files). */
  cover?: string;
  metadata?: Record<string, string>;
}

/** The ffmpeg argument list that writes `spec` to `out` (format from `out`'s extension). */
export function clipArgs(spec: ClipSpec, out: string, format?: string): string[] {
  const args = ['-v', 'error', '-y', '-nostdin'];
  const maps: string[] = [];
  const codecs: string[] = [];
  let input = 0;
  const d = spec.seconds;
  const ext = (format ?? path.extname(out).slice(1)).toLowerCase();
  const isMp4 = ext === 'mp4' || ext === 'm4v' || ext === 'mov' || ext === 'm4a';
  if (spec.video) {
    const v = spec.video;
    const size = v.size ?? '640x360';
    const fps = v.fps ?? 25;
    const src = v.source ?? 'testsrc2';
    // mandelbrot has no duration option: -t on the input bounds it.
    const graph = src === 'mandelbrot' ? `mandelbrot=size=${size}:rate=${fps}` : `${src}=size=${size}:rate=${fps}:duration=${d}`;
    args.push('-f', 'lavfi', '-t', String(d), '-i', graph);
    maps.push('-map', `${input++}:v`);
    if (v.codec === 'h264') {
      codecs.push('-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', String(fps * 2));
      if (v.bitrate)
        codecs.push('-b:v', v.bitrate, '-minrate', v.bitrate, '-maxrate', v.bitrate, '-bufsize', v.bitrate, '-x264-params', 'nal-hrd=cbr');
    } else if (v.codec === 'hevc') {
      codecs.push('-c:v', 'libx265', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-x265-params', 'log-level=error');
      if (isMp4) codecs.push('-tag:v', 'hvc1');
      if (v.bitrate) codecs.push('-b:v', v.bitrate);
    } else {
      codecs.push('-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', v.bitrate ?? '600k', '-pix_fmt', 'yuv420p');
    }
  }
  if (spec.audio) {
    const a = spec.audio;
    args.push('-f', 'lavfi', '-t', String(d), '-i', `sine=frequency=${a.frequency ?? 440}:sample_rate=48000:duration=${d}`);
    maps.push('-map', `${input++}:a`);
    const enc: Record<AudioCodec, string[]> = {
      aac: ['-c:a', 'aac', '-b:a', '128k'],
      ac3: ['-c:a', 'ac3', '-b:a', '192k'],
      mp3: ['-c:a', 'libmp3lame', '-b:a', '128k'],
      opus: ['-c:a', 'libopus', '-b:a', '96k'],
      flac: ['-c:a', 'flac'],
    };
    codecs.push(...enc[a.codec], '-ac', String(a.channels ?? 2));
    if (a.language) codecs.push('-metadata:s:a:0', `language=${a.language}`);
  }
  if (spec.subtitles) {
    const s = spec.subtitles;
    args.push('-i', s.srtFile);
    maps.push('-map', `${input++}:s`);
    codecs.push('-c:s', s.codec);
    if (s.language) codecs.push('-metadata:s:s:0', `language=${s.language}`);
    if (s.title) codecs.push('-metadata:s:s:0', `title=${s.title}`);
  }
  if (spec.cover) {
    args.push('-i', spec.cover);
    maps.push('-map', `${input++}:v`);
    // The cover is the only "video" of an audio file; ID3 and MP4 both carry PNG as is.
    codecs.push(
      '-c:v',
      'copy',
      '-disposition:v:0',
      'attached_pic',
      '-metadata:s:v:0',
      'title=Album cover',
      '-metadata:s:v:0',
      'comment=Cover (front)',
    );
    if (ext === 'mp3') codecs.push('-id3v2_version', '3');
  }
  for (const [k, v] of Object.entries(spec.metadata ?? {})) codecs.push('-metadata', `${k}=${v}`);
  // use_metadata_tags: MP4 otherwise drops tags it has no atom for (studio, director).
  if (isMp4) codecs.push('-movflags', '+faststart+use_metadata_tags');
  const fmt = format ? ['-f', format] : [];
  return [...args, ...maps, ...codecs, '-t', String(d), ...fmt, out];
}

export function runFfmpeg(ffmpegPath: string, args: string[], timeoutMs = 120_000): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(ffmpegPath, args, { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 4 * 1024 * 1024 }, (err, _o, stderr) => {
      if (err)
        reject(new Error(`ffmpeg failed (${args.at(-1)}): ${String(stderr).trim().split('\n').slice(-3).join(' | ') || err.message}`));
      else resolve();
    });
  });
}

/** Writes through a hidden temp name (scanners skip dot-files) and renames when ffmpeg is done. */
export async function writeClip(ffmpegPath: string, spec: ClipSpec, out: string): Promise<void> {
  await fs.promises.mkdir(path.dirname(out), { recursive: true });
  const ext = path.extname(out).slice(1).toLowerCase();
  const tmp = path.join(path.dirname(out), `.${path.basename(out)}.partial`);
  const format = {
    mp4: 'mp4',
    m4v: 'mp4',
    mkv: 'matroska',
    webm: 'webm',
    mp3: 'mp3',
    m4a: 'ipod',
    flac: 'flac',
    ogg: 'ogg',
    opus: 'opus',
    png: 'image2',
    jpg: 'image2',
  }[ext];
  try {
    await runFfmpeg(ffmpegPath, clipArgs(spec, tmp, format ?? ext));
    await fs.promises.rename(tmp, out);
  } finally {
    await fs.promises.rm(tmp, { force: true });
  }
}

/** A still image from a lavfi source (cover art, photos). */
export async function writeStill(ffmpegPath: string, out: string, source: string): Promise<void> {
  await fs.promises.mkdir(path.dirname(out), { recursive: true });
  const tmp = path.join(path.dirname(out), `.${path.basename(out)}.partial`);
  try {
    // The temp name hides the extension from image2, so the codec is named here.
    const codec = /\.png$/i.test(out) ? ['-c:v', 'png'] : ['-c:v', 'mjpeg', '-q:v', '3'];
    await runFfmpeg(ffmpegPath, [
      '-v',
      'error',
      '-y',
      '-nostdin',
      '-f',
      'lavfi',
      '-i',
      source,
      '-frames:v',
      '1',
      ...codec,
      '-f',
      'image2',
      tmp,
    ]);
    await fs.promises.rename(tmp, out);
  } finally {
    await fs.promises.rm(tmp, { force: true });
  }
}

/** Subtitle text: `[startSeconds, endSeconds, text]` cues → SRT. */
export function srtText(cues: ReadonlyArray<readonly [number, number, string]>): string {
  const ts = (s: number) => {
    const ms = Math.round(s * 1000);
    const p = (n: number, w = 2) => String(n).padStart(w, '0');
    return `${p(Math.floor(ms / 3_600_000))}:${p(Math.floor(ms / 60_000) % 60)}:${p(Math.floor(ms / 1000) % 60)},${p(ms % 1000, 3)}`;
  };
  return cues.map(([a, b, t], i) => `${i + 1}\n${ts(a)} --> ${ts(b)}\n${t}\n`).join('\n');
}
