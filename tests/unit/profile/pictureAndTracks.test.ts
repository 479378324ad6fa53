import { describe, expect, it } from 'vitest';
import {
  decideConversion,
  estimateSize,
  type ConversionInput,
  type ConversionPlan,
  type TranscodePlan,
} from '../../../src/shared/profile/decision.js';
import type { DeviceProfile } from '../../../src/shared/profile/types.js';
import { aProfile, aSource, type SourceSpec } from '../builders.js';

function decide(source: SourceSpec, profile: DeviceProfile = aProfile(), extra: Partial<ConversionInput> = {}): ConversionPlan {
  return decideConversion({ mediaType: 'Video', source: aSource(source), profile, quality: 'high', enableTranscoding: true, ...extra });
}

function asTranscode(plan: ConversionPlan): TranscodePlan {
  expect(plan.kind, plan.reasons.join(' | ')).toBe('transcode');
  return plan as TranscodePlan;
}

/** The app's Chromium profile refuses interlaced H.264 this way (src/app/profile). */
function refusingInterlaced(): DeviceProfile {
  const p = aProfile();
  p.CodecProfiles = [
    ...(p.CodecProfiles ?? []),
    { Type: 'Video', Codec: 'h264', Conditions: [{ Condition: 'NotEquals', Property: 'IsInterlaced', Value: 'true', IsRequired: false }] },
  ];
  return p;
}

describe('picture fixes in a transcode', () => {
  it('deinterlaces an interlaced source the profile refuses', () => {
    const plan = asTranscode(decide({ interlaced: true, width: 720, height: 576, aspectRatio: '4:3' }, refusingInterlaced()));
    expect(plan.video.deinterlace).toBe(true);
    expect(plan.reasons.join(' | ')).toMatch(/deinterlaced/);
  });

  it('deinterlaces whenever an interlaced source is re-encoded for another reason', () => {
    const plan = asTranscode(decide({ interlaced: true, videoCodec: 'mpeg2video', container: 'mkv' }));
    expect(plan.video.deinterlace).toBe(true);
    expect(asTranscode(decide({ videoCodec: 'mpeg2video', container: 'mkv' })).video.deinterlace).toBeUndefined();
  });

  it('tone-maps a PQ source when the profile declares no HDR support', () => {
    const plan = asTranscode(decide({ videoCodec: 'hevc', bitDepth: 10, colorTransfer: 'smpte2084', container: 'mkv' }));
    expect(plan.video.toneMap).toEqual({ from: 'pq' });
    expect(plan.video.pixFmt).toBe('yuv420p');
  });

  it('tone-maps HLG too, and leaves SDR alone', () => {
    expect(asTranscode(decide({ videoCodec: 'hevc', colorTransfer: 'arib-std-b67', container: 'mkv' })).video.toneMap).toEqual({
      from: 'hlg',
    });
    expect(asTranscode(decide({ videoCodec: 'hevc', colorTransfer: 'bt709', container: 'mkv' })).video.toneMap).toBeUndefined();
  });

  it('keeps HDR when the profile declares it for the output codec', () => {
    const p = aProfile();
    p.CodecProfiles = [
      ...(p.CodecProfiles ?? []),
      { Type: 'Video', Codec: 'h264', Conditions: [{ Condition: 'EqualsAny', Property: 'VideoRangeType', Value: 'SDR|HDR10|HLG' }] },
    ];
    const plan = asTranscode(decide({ videoCodec: 'hevc', colorTransfer: 'smpte2084', container: 'mkv' }, p));
    expect(plan.video.toneMap).toBeUndefined();
  });

  it('sizes an anamorphic SD source at its display aspect ratio in square pixels', () => {
    const plan = asTranscode(decide({ videoCodec: 'mpeg2video', container: 'mkv', width: 720, height: 576, aspectRatio: '16:9' }));
    expect(plan.video).toMatchObject({ width: 1024, height: 576 });
    expect(plan.reasons.join(' | ')).toMatch(/anamorphic 720x576 \(16:9\) shown as 1024x576/);
  });

  it('does not treat a rounding difference in the display ratio as anamorphic', () => {
    const plan = asTranscode(decide({ videoCodec: 'mpeg2video', container: 'mkv', width: 1920, height: 1080, aspectRatio: '16:9' }));
    expect(plan.video).toMatchObject({ width: 1920, height: 1080 });
  });

  it('turns a rotated anamorphic frame upright after stretching it', () => {
    const plan = asTranscode(
      decide({ videoCodec: 'mpeg2video', container: 'mkv', width: 720, height: 576, aspectRatio: '16:9', rotation: 90 }),
    );
    expect(plan.video).toMatchObject({ width: 576, height: 1024 });
  });
});

describe('audio tracks a converted copy keeps', () => {
  const fiveDubs: SourceSpec = {
    videoCodec: 'hevc',
    container: 'mkv',
    audio: [
      { codec: 'ac3', language: 'eng', channels: 6, bitrate: 448_000 },
      { codec: 'ac3', language: 'fre', channels: 6, bitrate: 448_000 },
      { codec: 'ac3', language: 'ger', channels: 6, bitrate: 448_000 },
      { codec: 'ac3', language: 'spa', channels: 6, bitrate: 448_000 },
      { codec: 'ac3', language: 'ita', channels: 6, bitrate: 448_000 },
    ],
  };

  it("keeps the user's language and the original language of five dubs, the user's first", () => {
    const plan = asTranscode(decide(fiveDubs, aProfile(), { audioLanguage: 'ger', quality: 'low' }));
    expect(plan.audio.map((a) => a.language)).toEqual(['ger', 'eng']);
  });

  it('keeps one track when the user speaks the original language, or has no preference', () => {
    expect(asTranscode(decide(fiveDubs, aProfile(), { audioLanguage: 'en' })).audio.map((a) => a.language)).toEqual(['eng']);
    expect(asTranscode(decide(fiveDubs)).audio.map((a) => a.language)).toEqual(['eng']);
  });

  it('takes the original language from the library when it knows it', () => {
    const plan = asTranscode(decide(fiveDubs, aProfile(), { audioLanguage: 'fre', originalLanguage: 'ita' }));
    expect(plan.audio.map((a) => a.language)).toEqual(['fre', 'ita']);
  });

  it('falls back to the default track when no track is in the preferred language', () => {
    const source: SourceSpec = { ...fiveDubs, audio: fiveDubs.audio!.map((a, i) => ({ ...a, isDefault: i === 3 })) };
    expect(asTranscode(decide(source, aProfile(), { audioLanguage: 'jpn' })).audio.map((a) => a.language)).toEqual(['spa', 'eng']);
  });

  it('lets a remux drop the other dubs too, and its size estimate follows', () => {
    const source: SourceSpec = { ...fiveDubs, videoCodec: 'h264', durationSeconds: 100 };
    const plan = decide(source, aProfile(), { audioLanguage: 'ger' });
    expect(plan.kind).toBe('remux');
    if (plan.kind !== 'remux') return;
    expect(plan.audio.map((a) => a.streamIndex)).toEqual([3, 1]);
    const whole = aSource(source).Size!;
    // Three 448 kbps tracks left behind, and the two kept ones re-encoded to AAC at 384 kbps.
    const saved = ((3 * 448_000 + 2 * (448_000 - 384_000)) * 100) / 8;
    expect(estimateSize(plan, aSource(source))).toBe(Math.round(whole - saved));
  });

  it('keeps every track at Original quality (the file is served as is)', () => {
    expect(decide(fiveDubs, aProfile(), { quality: 'original' }).kind).toBe('direct');
  });
});
