/**
 * Every file of the nasty corpus through the real conversion path — probe → plan (decideConversion) →
 * ffmpeg arguments → runner — for the app's Chromium profile and a strict phone profile, then the output
 * checked with ffprobe (and idet for interlacing), or the clear failure checked. Debian's ffmpeg is the
 * toolchain (the npm ffprobe crashes on MPEG-TS here). Conversions run two at a time in beforeAll.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import chromiumProbe from '../../unit/app/probes/chromium.json';
import { buildDeviceProfile } from '../../../src/app/profile/deviceProfile.js';
import { recordedProbe, type RecordedAnswers } from '../../../src/app/profile/probe.js';
import type { MediaSourceInfo, MediaStream } from '../../../src/shared/api/items.js';
import { TICKS_PER_SECOND } from '../../../src/shared/api/items.js';
import { decideConversion, type ConversionPlan } from '../../../src/shared/profile/decision.js';
import type { DeviceProfile } from '../../../src/shared/profile/types.js';
import type { ConversionResult } from '../../../src/server/convert/conversionTypes.js';
import { outputFileName } from '../../../src/server/convert/outputLayout.js';
import { runConversion } from '../../../src/server/convert/runner.js';
import { MediaProber, type ProbeResult } from '../../../src/server/library/probe.js';
import { CORPUS, corpusFfmpeg, nastyCorpus } from '../../fixtures/nastyCorpus.js';

const exec = promisify(execFile);
const binaries = { ffmpeg: corpusFfmpeg, ffprobe: process.env.FFPROBE_PATH ?? '/usr/bin/ffprobe' };

/** H.264 8-bit ≤ 1080p 4:2:0 progressive SDR, AAC stereo, MP4: what a strict phone plays. */
const PHONE: DeviceProfile = {
  Name: 'Strict phone',
  MaxStaticBitrate: 8_000_000,
  DirectPlayProfiles: [
    { Container: 'mp4,m4v', Type: 'Video', VideoCodec: 'h264', AudioCodec: 'aac' },
    { Container: 'm4a,mp4', Type: 'Audio', AudioCodec: 'aac' },
  ],
  TranscodingProfiles: [
    { Container: 'mp4', Type: 'Video', VideoCodec: 'h264', AudioCodec: 'aac', Context: 'Static', Protocol: 'http', MaxAudioChannels: '2' },
    { Container: 'm4a', Type: 'Audio', AudioCodec: 'aac', Context: 'Static', Protocol: 'http', MaxAudioChannels: '2' },
  ],
  CodecProfiles: [
    {
      Type: 'Video',
      Codec: 'h264',
      Conditions: [
        { Condition: 'EqualsAny', Property: 'VideoProfile', Value: 'high|main|baseline|constrained baseline' },
        { Condition: 'LessThanEqual', Property: 'VideoBitDepth', Value: '8' },
        { Condition: 'LessThanEqual', Property: 'Width', Value: '1920' },
        { Condition: 'LessThanEqual', Property: 'Height', Value: '1080' },
        { Condition: 'NotEquals', Property: 'IsInterlaced', Value: 'true', IsRequired: false },
        { Condition: 'NotEquals', Property: 'IsAnamorphic', Value: 'true', IsRequired: false },
        { Condition: 'Equals', Property: 'VideoRange', Value: 'SDR', IsRequired: false },
      ],
    },
    { Type: 'VideoAudio', Codec: 'aac', Conditions: [{ Condition: 'LessThanEqual', Property: 'AudioChannels', Value: '2' }] },
    { Type: 'Audio', Codec: 'aac', Conditions: [{ Condition: 'LessThanEqual', Property: 'AudioChannels', Value: '2' }] },
  ],
  SubtitleProfiles: [{ Format: 'vtt', Method: 'External' }],
};

type Outcome = { result: ConversionResult; plan: ConversionPlan; source: MediaSourceInfo } | { error: Error; plan?: ConversionPlan };

interface FfprobeStream {
  index: number;
  codec_type: string;
  codec_name: string;
  width?: number;
  height?: number;
  pix_fmt?: string;
  color_transfer?: string;
  color_primaries?: string;
  color_space?: string;
  channels?: number;
  sample_aspect_ratio?: string;
  tags?: Record<string, string>;
  side_data_list?: Array<{ rotation?: number }>;
}

async function ffprobe(file: string): Promise<{ streams: FfprobeStream[]; format: { duration?: string } }> {
  const { stdout } = await exec(binaries.ffprobe, ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file]);
  return JSON.parse(stdout);
}

/** ffmpeg's idet verdict over the whole file: frames it judged interlaced (TFF + BFF) and progressive. */
async function idet(file: string): Promise<{ interlaced: number; progressive: number }> {
  const { stderr } = await exec(binaries.ffmpeg, [
    '-hide_banner',
    '-nostdin',
    '-i',
    file,
    '-map',
    '0:v:0',
    '-vf',
    'idet',
    '-f',
    'null',
    '-',
  ]);
  const m = /Multi frame detection: TFF:\s*(\d+)\s*BFF:\s*(\d+)\s*Progressive:\s*(\d+)/.exec(stderr);
  if (!m) throw new Error(`no idet summary:\n${stderr}`);
  return { interlaced: Number(m[1]) + Number(m[2]), progressive: Number(m[3]) };
}

/** What the scanner makes of a file: its probe as a MediaSourceInfo, sidecar subtitles beside it added. */
function asSource(file: string, probe: ProbeResult): MediaSourceInfo {
  const streams: MediaStream[] = [...probe.streams];
  const stem = path.basename(file, path.extname(file));
  for (const sidecar of fs.readdirSync(path.dirname(file)).filter((n) => n.startsWith(`${stem}.`) && n.endsWith('.srt'))) {
    const language = sidecar.split('.').at(-2);
    streams.push({
      Type: 'Subtitle',
      Index: streams.length,
      Codec: 'srt',
      Language: language,
      IsDefault: false,
      IsForced: false,
      IsExternal: true,
      IsTextSubtitleStream: true,
      SupportsExternalStream: true,
      Path: sidecar,
    });
  }
  return {
    Id: stem,
    Protocol: 'File',
    Type: 'Default',
    Container: probe.container,
    Size: fs.statSync(file).size,
    Path: path.basename(file),
    RunTimeTicks: probe.runTimeTicks,
    Bitrate: probe.bitrate,
    IsRemote: false,
    SupportsTranscoding: true,
    SupportsDirectStream: true,
    SupportsDirectPlay: true,
    RequiresOpening: false,
    MediaStreams: streams,
  };
}

let corpus: string;
let work: string;
let chromium: DeviceProfile;
const outcomes = new Map<string, Outcome>();
const key = (profile: string, name: string) => `${profile}/${name}`;
let n = 0;

async function convert(profileName: string, profile: DeviceProfile, name: string): Promise<Outcome> {
  const file = path.join(corpus, name);
  let plan: ConversionPlan | undefined;
  try {
    const probe = await new MediaProber(binaries.ffprobe).probe(file);
    const source = asSource(file, probe);
    const mediaType = probe.streams.some((s) => s.Type === 'Video') ? 'Video' : 'Audio';
    plan = decideConversion({
      mediaType,
      source,
      profile,
      quality: 'medium',
      enableTranscoding: true,
      audioLanguage: 'ger',
      subtitleLanguage: 'fre',
    });
    const outKey = (++n).toString(16).padStart(32, '0');
    const result = await runConversion({
      output: {
        key: outKey,
        sourcePath: file,
        plan,
        fileName: plan.kind === 'direct' ? path.basename(file) : outputFileName(file, plan.container),
        outputDir: path.join(work, profileName, outKey),
        durationSeconds: probe.runTimeTicks ? probe.runTimeTicks / TICKS_PER_SECOND : undefined,
      },
      binaries,
      threads: 0,
      fullSpeed: false,
    });
    return { result, plan, source };
  } catch (err) {
    return { error: err as Error, plan };
  }
}

const PROFILES = () =>
  [
    ['chromium', chromium],
    ['phone', PHONE],
  ] as const;

beforeAll(async () => {
  corpus = await nastyCorpus();
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'stowaway-nasty-out-'));
  chromium = await buildDeviceProfile(recordedProbe(chromiumProbe.answers as unknown as RecordedAnswers));
  const tasks = PROFILES().flatMap(([name, profile]) => CORPUS.map((e) => ({ name, profile, file: e.name })));
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const t = tasks[next++]!;
      outcomes.set(key(t.name, t.file), await convert(t.name, t.profile, t.file));
    }
  };
  await Promise.all([worker(), worker()]);
}, 240_000);

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

function ok(profile: string, name: string): { result: ConversionResult; plan: ConversionPlan; source: MediaSourceInfo } {
  const o = outcomes.get(key(profile, name));
  if (!o) throw new Error(`no outcome for ${name}`);
  if ('error' in o) throw new Error(`${profile}/${name} failed: ${o.error.message}`);
  return o;
}

function failure(profile: string, name: string): string {
  const o = outcomes.get(key(profile, name));
  if (!o || !('error' in o)) throw new Error(`${profile}/${name} was expected to fail`);
  return o.error.message;
}

function outDir(profile: string, r: ConversionResult): string {
  return path.join(work, profile, r.mediaSource.Id);
}

function mediaFile(profile: string, r: ConversionResult, source: string): string {
  return r.servesSource ? path.join(corpus, source) : path.join(outDir(profile, r), r.fileName);
}

async function output(profile: string, name: string) {
  const o = ok(profile, name);
  const file = mediaFile(profile, o.result, name);
  const probe = await ffprobe(file);
  const video = probe.streams.find((s) => s.codec_type === 'video' && !['png', 'mjpeg'].includes(s.codec_name));
  const audio = probe.streams.filter((s) => s.codec_type === 'audio');
  return { ...o, file, probe, video, audio };
}

const FAILING = new Set(['cut-with-index.mp4', 'cut-no-index.mp4', 'notes.mp4', 'empty.mp4', '._holiday.mp4']);
const PLAYABLE = CORPUS.filter((e) => !FAILING.has(e.name)).map((e) => [e.name, e.what] as const);

describe.each(['chromium', 'phone'])('nasty corpus for the %s profile', (profile) => {
  const deviceProfile = () => (profile === 'chromium' ? chromium : PHONE);

  it('fails a cut-off MP4 whose index survived, saying where it ends', () => {
    expect(failure(profile, 'cut-with-index.mp4')).toMatch(/^the file (ends at 0:0\d of 0:04 — it is incomplete|is incomplete: )/);
  });

  it('fails an MP4 cut before its index with a clear reason', () => {
    expect(failure(profile, 'cut-no-index.mp4')).toMatch(/moov atom not found/);
  });

  it('refuses a text file, an empty file and a macOS ._ file named .mp4 with a clear reason', () => {
    for (const name of ['notes.mp4', 'empty.mp4', '._holiday.mp4'])
      expect(failure(profile, name)).toMatch(/Invalid data|End of file|moov atom not found/i);
  });

  it.each(PLAYABLE)('%s (%s) plays on the device as converted, as long as its source', async (name) => {
    const { result, source, probe } = await output(profile, name);
    const hasVideo = result.mediaSource.MediaStreams.some((s) => s.Type === 'Video');
    const again = decideConversion({
      mediaType: hasVideo ? 'Video' : 'Audio',
      source: result.mediaSource,
      profile: deviceProfile(),
      quality: 'medium',
      enableTranscoding: true,
    });
    expect(again.kind, again.reasons.join(' | ')).toBe('direct');
    const sourceSeconds = (source.RunTimeTicks ?? 0) / TICKS_PER_SECOND;
    expect(Math.abs(Number(probe.format.duration) - sourceSeconds)).toBeLessThan(0.5);
  });

  it('re-encoded video is H.264 4:2:0 8-bit at even sizes with square pixels, never rotated metadata', async () => {
    for (const [name] of PLAYABLE) {
      const { plan, video } = await output(profile, name);
      if (plan.kind !== 'transcode' || !video) continue;
      expect([name, video.codec_name, video.pix_fmt]).toEqual([name, 'h264', 'yuv420p']);
      expect([name, video.width! % 2, video.height! % 2]).toEqual([name, 0, 0]);
      expect([name, video.sample_aspect_ratio ?? '1:1']).toEqual([name, '1:1']);
      expect([name, video.side_data_list?.find((d) => d.rotation)?.rotation ?? 0]).toEqual([name, 0]);
    }
  });

  it('deinterlaces interlaced anamorphic SD into progressive square pixels at 16:9', async () => {
    const { video, file, plan } = await output(profile, 'interlaced-anamorphic.mkv');
    expect(plan.kind).toBe('transcode');
    expect(video!.width! / video!.height!).toBeCloseTo(16 / 9, 1);
    const fields = await idet(file);
    expect(fields.progressive).toBeGreaterThan(fields.interlaced * 4);
  });

  it('tone-maps HDR10 to SDR BT.709 and says so in the colour properties', async () => {
    const { video, plan } = await output(profile, 'hdr10-hevc.mkv');
    expect(plan.kind).toBe('transcode');
    expect([video!.color_transfer, video!.color_primaries, video!.color_space]).toEqual(['bt709', 'bt709', 'bt709']);
    expect(video!.pix_fmt).toBe('yuv420p');
  });

  it('turns High 10 and odd-sized 4:4:4 H.264 into 8-bit 4:2:0 at even sizes where the device needs it', async () => {
    for (const name of ['high10.mp4', 'odd-444.mp4']) {
      const { video, plan } = await output(profile, name);
      // Chromium decodes High 10 itself (its profile says so): served as is, which the test above checks.
      if (profile === 'chromium' && plan.kind === 'direct') continue;
      expect([name, video!.pix_fmt]).toEqual([name, 'yuv420p']);
      expect([name, video!.width! % 2, video!.height! % 2]).toEqual([name, 0, 0]);
    }
  });

  it('shows the rotated phone clip upright', async () => {
    const { video, plan } = await output(profile, 'phone-rotated.mp4');
    const rotation = Math.abs(video!.side_data_list?.find((d) => d.rotation)?.rotation ?? 0);
    // Either the frames were turned (portrait, no rotation left) or the rotation travels with copied frames.
    const portrait = rotation % 180 === 90 ? video!.width! > video!.height! : video!.height! > video!.width!;
    expect(portrait, `${plan.kind} ${video!.width}x${video!.height} rotation ${rotation}`).toBe(true);
  });

  it("keeps the user's language and the original of five dubs, the user's first", async () => {
    const { audio } = await output(profile, 'five-languages.mkv');
    expect(audio.map((a) => a.tags?.language)).toEqual(['ger', 'eng']);
  });

  it('keeps stereo AAC for the phone and at most the source channels otherwise', async () => {
    const { audio } = await output(profile, 'ac3-51.mkv');
    expect(audio).toHaveLength(1);
    if (profile === 'phone') expect([audio[0]!.codec_name, audio[0]!.channels]).toEqual(['aac', 2]);
  });

  it('turns ASS, mov_text and a Windows-1252 sidecar SRT into valid UTF-8 WebVTT', async () => {
    const texts: string[] = [];
    for (const name of ['subs-ass.mkv', 'subs-movtext.mp4', 'legacy-srt.mkv']) {
      const { result } = ok(profile, name);
      expect([name, result.subtitleFiles.length]).toEqual([name, 1]);
      const bytes = fs.readFileSync(path.join(outDir(profile, result), result.subtitleFiles[0]!.Name));
      const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      expect(text.startsWith('WEBVTT')).toBe(true);
      texts.push(text);
    }
    expect(texts[0]).toContain('Zweite Zeile – ß');
    expect(texts[2]).toContain('Café déjà vu – naïve');
  });

  it('never makes a PGS track a sidecar (an image cannot be WebVTT)', () => {
    const { result } = ok(profile, 'subs-pgs.mkv');
    expect(result.subtitleFiles).toEqual([]);
  });
});
