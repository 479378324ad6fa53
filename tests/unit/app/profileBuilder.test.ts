// @vitest-environment happy-dom
/**
 * The browser DeviceProfile from answers recorded in real browsers (probes/*.json): what each one plays
 * must become direct play, what it can't must not, and the sync transcode target must always be there.
 */
import { describe, expect, it } from 'vitest';
import chromium from './probes/chromium.json';
import firefox from './probes/firefox.json';
import safari from './probes/safari.json';
import { buildDeviceProfile } from '../../../src/app/profile/deviceProfile';
import { plays, recordedProbe, type RecordedAnswers } from '../../../src/app/profile/probe';
import type { CodecProfile, DeviceProfile } from '../../../src/shared/profile/types';

const build = (answers: unknown) => buildDeviceProfile(recordedProbe(answers as RecordedAnswers));

function videoProfile(profile: DeviceProfile, container: string) {
  return profile.DirectPlayProfiles?.find((p) => p.Type === 'Video' && (p.Container ?? '').split(',').includes(container));
}

function audioCodecsFor(profile: DeviceProfile, container: string): string[] {
  return (profile.DirectPlayProfiles ?? [])
    .filter((p) => p.Type === 'Audio' && (p.Container ?? '').split(',').includes(container))
    .flatMap((p) => (p.AudioCodec ?? '').split(','));
}

function condition(profiles: CodecProfile[] | undefined, codec: string, property: string) {
  return profiles?.find((p) => p.Codec === codec)?.Conditions?.find((c) => c.Property === property)?.Value;
}

describe('profile builder with recorded Chromium answers', () => {
  it('direct-plays H.264, VP9 and AV1 in MP4 but not HEVC or AC3 (this Chromium has neither)', async () => {
    const profile = await build(chromium.answers);
    const mp4 = videoProfile(profile, 'mp4');
    expect(mp4?.VideoCodec?.split(',')).toEqual(['h264', 'vp9', 'av1']);
    expect(mp4?.AudioCodec?.split(',')).toEqual(['aac', 'mp3', 'opus', 'flac']);
  });

  it('lists MKV because Chromium really plays codecs inside it, and leaves out MOV', async () => {
    const profile = await build(chromium.answers);
    expect(videoProfile(profile, 'mkv')?.VideoCodec).toContain('h264');
    expect(videoProfile(profile, 'mov')).toBeUndefined();
  });

  it('never sends an empty AudioCodec for video, which a server would read as "any codec"', async () => {
    for (const answers of [chromium.answers, firefox.answers, safari.answers]) {
      const profile = await build(answers);
      for (const p of profile.DirectPlayProfiles!.filter((d) => d.Type === 'Video')) expect(p.AudioCodec).not.toBe('');
    }
  });

  it('caps H.264 at the highest level and bit depth the browser accepted', async () => {
    const profile = await build(chromium.answers);
    expect(condition(profile.CodecProfiles, 'h264', 'VideoLevel')).toBe('52');
    expect(condition(profile.CodecProfiles, 'h264', 'VideoBitDepth')).toBe('10');
  });

  it('reports the profile the recording session built (the fixture and the code agree)', async () => {
    expect(await build(chromium.answers)).toEqual(chromium.profile);
  });
});

describe('profile builder with Firefox answers', () => {
  it('keeps H.264 at 8-bit and has no MKV, MOV or HEVC', async () => {
    const profile = await build(firefox.answers);
    expect(condition(profile.CodecProfiles, 'h264', 'VideoBitDepth')).toBe('8');
    expect(condition(profile.CodecProfiles, 'h264', 'VideoProfile')).toBe('high|main|baseline|constrained baseline');
    expect(videoProfile(profile, 'mkv')).toBeUndefined();
    expect(videoProfile(profile, 'mov')).toBeUndefined();
    expect(profile.DirectPlayProfiles!.some((p) => (p.VideoCodec ?? '').includes('hevc'))).toBe(false);
  });

  it('accepts "maybe" for bare audio types MSE does not speak for (audio/mpeg, audio/flac)', async () => {
    const profile = await build(firefox.answers);
    expect(audioCodecsFor(profile, 'mp3')).toEqual(['mp3']);
    expect(audioCodecsFor(profile, 'flac')).toEqual(['flac']);
    expect(audioCodecsFor(profile, 'ogg')).toEqual(['vorbis', 'opus', 'flac']);
  });
});

describe('profile builder with Safari answers', () => {
  it('direct-plays HEVC (Main and Main 10) in MP4 and MOV, with AC3 and E-AC3 audio', async () => {
    const profile = await build(safari.answers);
    expect(videoProfile(profile, 'mp4')?.VideoCodec?.split(',')).toEqual(['h264', 'hevc', 'vp9']);
    expect(videoProfile(profile, 'mp4')?.AudioCodec?.split(',')).toEqual(['aac', 'mp3', 'opus', 'flac', 'ac3', 'eac3']);
    expect(videoProfile(profile, 'mov')?.VideoCodec?.split(',')).toEqual(['h264', 'hevc']);
    expect(condition(profile.CodecProfiles, 'hevc', 'VideoProfile')).toBe('main|main 10');
  });

  it('plays no Vorbis and no Ogg, so those are converted', async () => {
    const profile = await build(safari.answers);
    expect(audioCodecsFor(profile, 'ogg')).toEqual([]);
    expect(videoProfile(profile, 'webm')?.AudioCodec).toBe('opus');
  });
});

describe('sync targets in every profile', () => {
  it.each([
    ['Chromium', chromium.answers],
    ['Firefox', firefox.answers],
    ['Safari', safari.answers],
  ])('%s: a Static MP4 H.264/AAC video profile and a Static audio one come first, WebVTT subtitles as sidecars', async (_name, answers) => {
    const profile = await build(answers);
    const statics = profile.TranscodingProfiles!.filter((p) => p.Context === 'Static');
    expect(statics.find((p) => p.Type === 'Video')).toMatchObject({
      Container: 'mp4',
      VideoCodec: 'h264',
      AudioCodec: 'aac',
      Protocol: 'http',
    });
    expect(statics.find((p) => p.Type === 'Audio')).toMatchObject({ Container: 'm4a', AudioCodec: 'aac', Protocol: 'http' });
    expect(profile.SubtitleProfiles).toEqual([{ Format: 'vtt', Method: 'External' }]);
    expect(profile.MaxStaticBitrate).toBe(40_000_000);
    expect(profile.MaxStreamingBitrate).toBe(20_000_000);
  });

  it('falls back to an MP3 audio target when AAC in M4A does not play', async () => {
    const answers = { canPlayType: { ...firefox.answers.canPlayType, 'audio/mp4; codecs="mp4a.40.2"': '' } } as RecordedAnswers;
    const profile = await buildDeviceProfile(recordedProbe(answers));
    expect(profile.TranscodingProfiles!.find((p) => p.Type === 'Audio')).toMatchObject({ Container: 'mp3', AudioCodec: 'mp3' });
  });
});

describe('plays()', () => {
  const mime = 'video/mp4; codecs="avc1.640028"';

  it('trusts a definite "" from canPlayType over everything else', async () => {
    const probe = recordedProbe({ canPlayType: { [mime]: '' }, isTypeSupported: { [mime]: true }, decodingSupported: { [mime]: true } });
    expect(await plays(probe, 'video', mime)).toBe(false);
  });

  it('lets MediaCapabilities overrule a "probably" for a single codec', async () => {
    const probe = recordedProbe({ canPlayType: { [mime]: 'probably' }, decodingSupported: { [mime]: false } });
    expect(await plays(probe, 'video', mime)).toBe(false);
  });

  it('does not ask MediaCapabilities about a codec list, which it always rejects', async () => {
    const both = 'video/mp4; codecs="avc1.640028,mp4a.40.2"';
    const probe = recordedProbe({ canPlayType: { [both]: 'probably' }, decodingSupported: {} });
    expect(await plays(probe, 'video', both)).toBe(true);
  });

  it('asks MSE about a "maybe" when there is no MediaCapabilities', async () => {
    expect(await plays(recordedProbe({ canPlayType: { [mime]: 'maybe' }, isTypeSupported: { [mime]: false } }), 'video', mime)).toBe(false);
    expect(await plays(recordedProbe({ canPlayType: { [mime]: 'maybe' }, isTypeSupported: { [mime]: true } }), 'video', mime)).toBe(true);
  });
});
