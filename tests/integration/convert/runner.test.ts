import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { promisify } from 'node:util';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ConversionJob } from '../../../src/server/convert/conversionTypes.js';
import { isPartialName, outputFileName } from '../../../src/server/convert/outputLayout.js';
import { hashFile, runConversion } from '../../../src/server/convert/runner.js';
import type { ConversionPlan } from '../../../src/shared/profile/decision.js';
import {
  aRemuxPlan,
  aTranscodePlan,
  aVideoEncode,
  binaries,
  extractSub,
  ffprobeJson,
  makeClips,
  mp4TopLevelBoxes,
  SIDECAR_TEXT,
  tempDir,
  type Clips,
} from '../../helpers/convertMedia.js';

let clips: Clips;
let work: string;
let n = 0;

beforeAll(async () => {
  clips = await makeClips();
  work = tempDir();
});

function jobFor(sourcePath: string, plan: ConversionPlan): ConversionJob {
  const key = (++n).toString(16).padStart(32, '0');
  const fileName = plan.kind === 'direct' ? path.basename(sourcePath) : outputFileName(sourcePath, plan.container);
  return { key, sourcePath, plan, fileName, outputDir: path.join(work, key) };
}

/** WebVTT cue start times in seconds (`MM:SS.mmm` or `HH:MM:SS.mmm`). */
function cueStarts(vtt: string): number[] {
  return [...vtt.matchAll(/^(?:(\d+):)?(\d\d):(\d\d\.\d{3}) -->/gm)].map(
    (m) => Number(m[1] ?? 0) * 3600 + Number(m[2]) * 60 + Number(m[3]),
  );
}

async function subtitlePacketStarts(file: string, stream: number): Promise<number[]> {
  const { stdout } = await promisify(execFile)(binaries.ffprobe, [
    '-v',
    'error',
    '-select_streams',
    String(stream),
    '-show_entries',
    'packet=pts_time',
    '-of',
    'csv=p=0',
    file,
  ]);
  return stdout.split('\n').filter(Boolean).map(Number);
}

const leftovers = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter(isPartialName) : []);

describe('runConversion', () => {
  it('remuxes H.264+AC3 MKV to a faststart MP4 with AAC, extracts the embedded SRT to WebVTT, and hashes it', async () => {
    const job = jobFor(clips.h264Ac3Mkv, aRemuxPlan({ subtitles: [extractSub(2, { language: 'eng' })] }));
    const progress: number[] = [];
    const t0 = Date.now();
    const result = await runConversion({ output: job, binaries, threads: 1, fullSpeed: false, onProgress: (p) => progress.push(p) });
    const ms = Date.now() - t0;

    expect(result.fileName).toBe('Movie One.mp4');
    const file = path.join(job.outputDir, result.fileName);
    const probe = await ffprobeJson(file);
    expect(probe.streams.map((s) => s.codec_name)).toEqual(['h264', 'aac']);
    expect(mp4TopLevelBoxes(file).indexOf('moov')).toBeLessThan(mp4TopLevelBoxes(file).indexOf('mdat'));
    expect(result.size).toBe(fs.statSync(file).size);
    expect(result.sha256).toBe((await hashFile(file)).sha256);
    expect(result.mediaSource).toMatchObject({ Container: 'mp4', Path: 'Movie One.mp4', Size: result.size, SupportsTranscoding: false });
    expect(result.mediaSource.MediaStreams.map((s) => s.Codec)).toEqual(['h264', 'aac']);
    expect(result.servesSource).toBe(false);

    expect(result.subtitleFiles).toEqual([{ Name: 'Movie One.2.eng.vtt', Language: 'eng', IsForced: false, Codec: 'vtt', Index: 2 }]);
    const vtt = fs.readFileSync(path.join(job.outputDir, 'Movie One.2.eng.vtt'), 'utf8');
    expect(vtt).toMatch(/^WEBVTT/);
    expect(vtt).toContain('Hello from the embedded track');
    // Exact times: the cues start where the source's subtitle packets do (ms precision, no shift).
    const packets = await subtitlePacketStarts(clips.h264Ac3Mkv, 2);
    expect(cueStarts(vtt)).toEqual(packets);

    expect(progress.at(-1)).toBe(100);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(leftovers(job.outputDir)).toEqual([]);
    console.log(`remux 3 s clip: ${ms} ms`);
  });

  it('transcodes HEVC to H.264 yuv420p with even dimensions and +faststart', async () => {
    const job = jobFor(clips.hevcMkv, aTranscodePlan({ video: aVideoEncode({ width: 214, height: 120 }) }));
    const t0 = Date.now();
    const result = await runConversion({ output: job, binaries, threads: 1, fullSpeed: false });
    const ms = Date.now() - t0;
    const file = path.join(job.outputDir, result.fileName);
    const probe = await ffprobeJson(file);
    const video = probe.streams.find((s) => s.codec_type === 'video')!;
    expect(video.codec_name).toBe('h264');
    expect(video.pix_fmt).toBe('yuv420p');
    expect(video.width! % 2).toBe(0);
    expect(video.height! % 2).toBe(0);
    const boxes = mp4TopLevelBoxes(file);
    expect(boxes.indexOf('moov')).toBeGreaterThanOrEqual(0);
    expect(boxes.indexOf('moov')).toBeLessThan(boxes.indexOf('mdat'));
    expect(result.mediaSource.RunTimeTicks).toBeGreaterThan(2.5e7);
    console.log(`transcode HEVC→H.264 3 s 320x180: ${ms} ms`);
  });

  it('transcodes a FLAC song to AAC in M4A', async () => {
    const plan: ConversionPlan = {
      kind: 'audio-transcode',
      container: 'm4a',
      audio: { streamIndex: 0, action: 'encode', codec: 'aac', bitrate: 128_000, channels: 2 },
      reasons: [],
    };
    const job = jobFor(clips.flac, plan);
    const result = await runConversion({ output: job, binaries, threads: 1, fullSpeed: false });
    expect(result.fileName).toBe('song.m4a');
    const probe = await ffprobeJson(path.join(job.outputDir, result.fileName));
    expect(probe.streams.map((s) => s.codec_name)).toEqual(['aac']);
    expect(result.subtitleFiles).toEqual([]);
  });

  it('serves a direct source as is and turns legacy-encoded sidecars (Windows-1252; BOM + CRLF) into UTF-8 WebVTT', async () => {
    const plan: ConversionPlan = {
      kind: 'direct',
      mediaType: 'Video',
      subtitles: [
        {
          index: 2,
          external: true,
          path: path.basename(clips.sidecar1252),
          codec: 'srt',
          language: 'fre',
          forced: false,
          action: 'extract',
          format: 'vtt',
        },
        {
          index: 3,
          external: true,
          path: path.basename(clips.sidecarBom),
          codec: 'srt',
          language: 'ger',
          forced: true,
          action: 'extract',
          format: 'vtt',
        },
      ],
      reasons: [],
    };
    const job = jobFor(clips.directMp4, plan);
    const result = await runConversion({ output: job, binaries, threads: 1, fullSpeed: false });

    expect(result.servesSource).toBe(true);
    expect(result.fileName).toBe('direct.mp4');
    expect(result.size).toBe(fs.statSync(clips.directMp4).size);
    expect(result.sha256).toBe((await hashFile(clips.directMp4)).sha256);
    expect(fs.existsSync(path.join(job.outputDir, 'direct.mp4'))).toBe(false);
    expect(result.subtitleFiles.map((s) => s.Name)).toEqual(['direct.2.fre.vtt', 'direct.3.ger.forced.vtt']);

    for (const s of result.subtitleFiles) {
      const bytes = fs.readFileSync(path.join(job.outputDir, s.Name));
      const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes); // throws unless valid UTF-8
      expect(text).toMatch(/^WEBVTT/);
      expect(text).not.toContain('\r');
      expect(text).toMatch(/^(00:)?00:00\.250 --> (00:)?00:01\.125$/m);
      expect(text).toMatch(/^(00:)?00:01\.500 --> (00:)?00:02\.750$/m);
      expect(text).toContain('Café déjà vu – naïve façade');
      expect(text).toContain('Über Straße, señor');
    }
    expect(SIDECAR_TEXT).toContain('Café');
    expect(leftovers(job.outputDir)).toEqual([]);
  });

  it('stops ffmpeg within a second on abort and leaves no partial file', async () => {
    const job = jobFor(
      clips.longMkv,
      aTranscodePlan({ container: 'mp4', video: aVideoEncode({ codec: 'hevc', width: 640, height: 360 }) }),
    );
    const controller = new AbortController();
    let abortedAt = 0;
    const run = runConversion({
      output: job,
      binaries,
      threads: 1,
      fullSpeed: false,
      signal: controller.signal,
      onProgress: (p) => {
        if (p > 0 && !abortedAt) {
          abortedAt = Date.now();
          controller.abort();
        }
      },
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - abortedAt).toBeLessThan(1000);
    expect(fs.readdirSync(job.outputDir)).toEqual([]);
  });

  it('fails on a corrupt source with a plain reason first, then the end of ffmpeg stderr', async () => {
    const job = jobFor(clips.corruptMkv, aRemuxPlan());
    const err = (await runConversion({ output: job, binaries, threads: 1, fullSpeed: false }).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toMatch(/^the file is not media ffmpeg can read \(Invalid data found\)\nffmpeg exited with code \d+:\n/);
    expect(err.message.split('\n').length).toBeLessThanOrEqual(22);
    expect(err.message).toMatch(/corrupt\.mkv|Invalid data|EBML|matroska/i);
    expect(leftovers(job.outputDir)).toEqual([]);
  });
});
