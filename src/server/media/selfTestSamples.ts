/**
 * The tiny files every candidate binary must read before it is trusted: one per container the library
 * meets (MP4, MOV, MKV, WebM, MPEG-TS, AVI, MP3, FLAC), 0.4 s each at 64x48, written once into the
 * toolchain cache folder by the first ffmpeg that can, and kept (the files do not depend on which
 * ffmpeg wrote them). Each carries what a correct prober must report about it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describeFailure, runTool } from './runTool.js';

export interface SampleSpec {
  /** Shown in log lines: "crashed (SIGSEGV) on the MPEG-TS sample". */
  label: string;
  file: string;
  /** ffmpeg output arguments (inputs are the shared lavfi test sources). */
  encode: string[];
  /** One of these must appear in ffprobe's format_name. */
  format: string;
  /** codec_type:codec_name of every stream, in order. */
  streams: string[];
}

export const SAMPLE_SECONDS = 0.4;
/** Bump when a sample changes: a cache folder of another version is rebuilt. */
export const SAMPLES_VERSION = 1;

const H264 = ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'];

export const SAMPLE_SPECS: readonly SampleSpec[] = [
  { label: 'MP4', file: 'sample.mp4', encode: [...H264, '-c:a', 'aac'], format: 'mp4', streams: ['video:h264', 'audio:aac'] },
  { label: 'MOV', file: 'sample.mov', encode: [...H264, '-c:a', 'aac'], format: 'mov', streams: ['video:h264', 'audio:aac'] },
  { label: 'MKV', file: 'sample.mkv', encode: [...H264, '-c:a', 'ac3'], format: 'matroska', streams: ['video:h264', 'audio:ac3'] },
  {
    label: 'WebM',
    file: 'sample.webm',
    encode: ['-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-c:a', 'libopus'],
    format: 'webm',
    streams: ['video:vp8', 'audio:opus'],
  },
  // TV recordings: MPEG-2 video and MP2 audio in a transport stream.
  {
    label: 'MPEG-TS',
    file: 'sample.ts',
    encode: ['-c:v', 'mpeg2video', '-c:a', 'mp2', '-f', 'mpegts'],
    format: 'mpegts',
    streams: ['video:mpeg2video', 'audio:mp2'],
  },
  {
    label: 'AVI',
    file: 'sample.avi',
    encode: ['-c:v', 'mpeg4', '-c:a', 'libmp3lame'],
    format: 'avi',
    streams: ['video:mpeg4', 'audio:mp3'],
  },
  { label: 'MP3', file: 'sample.mp3', encode: ['-c:a', 'libmp3lame'], format: 'mp3', streams: ['audio:mp3'] },
  { label: 'FLAC', file: 'sample.flac', encode: ['-c:a', 'flac'], format: 'flac', streams: ['audio:flac'] },
];

function outputArgs(s: SampleSpec, dir: string): string[] {
  const maps = s.streams.flatMap((t) => (t.startsWith('video') ? ['-map', '0:v'] : ['-map', '1:a']));
  return [...maps, ...s.encode, '-t', String(SAMPLE_SECONDS), path.join(dir, s.file)];
}

/**
 * One ffmpeg process writes every sample (a process start of a distribution build costs ~70 ms of CPU,
 * eight of them were most of the self-test); only when that fails is each tried alone, to name the one.
 */
async function encodeSamples(ffmpeg: string, dir: string): Promise<void> {
  const head = ['-v', 'error', '-nostdin', '-y', ...lavfiInputs()];
  const all = await runTool(ffmpeg, [...head, ...SAMPLE_SPECS.flatMap((s) => outputArgs(s, dir))], { timeoutMs: 30_000 });
  if (all.code === 0) return;
  for (const s of SAMPLE_SPECS) {
    const one = await runTool(ffmpeg, [...head, ...outputArgs(s, dir)], { timeoutMs: 20_000 });
    if (one.code !== 0) throw new Error(`cannot write the ${s.label} sample: ${describeFailure(one, 20_000)}`);
  }
  throw new Error(`cannot write the samples: ${describeFailure(all, 30_000)}`);
}

function lavfiInputs(): string[] {
  const d = SAMPLE_SECONDS;
  return [
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=64x48:rate=25:duration=${d}`,
    '-f',
    'lavfi',
    '-i',
    `sine=frequency=440:sample_rate=48000:duration=${d}`,
  ];
}

/** The folder of this sample version under `cacheDir`. */
export function samplesDir(cacheDir: string): string {
  return path.join(cacheDir, `samples-v${SAMPLES_VERSION}`);
}

export function samplesPresent(cacheDir: string): boolean {
  const dir = samplesDir(cacheDir);
  return SAMPLE_SPECS.every((s) => fs.existsSync(path.join(dir, s.file)));
}

/**
 * Writes every sample with `ffmpeg` into a private folder, then renames it into place as a whole, so
 * concurrent starts (test workers) never see a half-written set. Throws with the reason when this ffmpeg
 * cannot write one: that ffmpeg then fails its self-test.
 */
export async function writeSamples(ffmpeg: string, cacheDir: string): Promise<string> {
  const dir = samplesDir(cacheDir);
  if (samplesPresent(cacheDir)) return dir;
  await fs.promises.mkdir(cacheDir, { recursive: true });
  const work = await fs.promises.mkdtemp(path.join(cacheDir, '.samples-'));
  try {
    await encodeSamples(ffmpeg, work);
    try {
      await fs.promises.rename(work, dir);
    } catch (err) {
      // Another process finished first: its set is as good as ours.
      if (!samplesPresent(cacheDir)) throw err;
    }
    return dir;
  } finally {
    await fs.promises.rm(work, { recursive: true, force: true });
  }
}
