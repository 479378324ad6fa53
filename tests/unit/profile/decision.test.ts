import { describe, expect, it } from 'vitest';
import {
  decideConversion,
  estimateSize,
  needsConversion,
  orderAudioStreams,
  planKey,
  RECIPE_VERSION,
  type ConversionInput,
  type ConversionPlan,
  type RemuxPlan,
  type TranscodePlan,
} from '../../../src/shared/profile/decision.js';
import { aProfile, aSong, aSource, type ProfileSpec, type SourceSpec } from '../builders.js';

function decide(source: SourceSpec, profile: ProfileSpec = {}, extra: Partial<ConversionInput> = {}): ConversionPlan {
  return decideConversion({
    mediaType: 'Video',
    source: aSource(source),
    profile: aProfile(profile),
    quality: 'high',
    enableTranscoding: true,
    ...extra,
  });
}

function asRemux(plan: ConversionPlan): RemuxPlan {
  expect(plan.kind, plan.reasons.join(' | ')).toBe('remux');
  return plan as RemuxPlan;
}

function asTranscode(plan: ConversionPlan): TranscodePlan {
  expect(plan.kind, plan.reasons.join(' | ')).toBe('transcode');
  return plan as TranscodePlan;
}

describe('decideConversion — video', () => {
  it('serves an H.264/AAC MP4 under the cap directly', () => {
    const plan = decide({});
    expect(plan.kind).toBe('direct');
    expect(plan.reasons).toEqual(['mp4/h264/aac plays directly within the 100 Mbps cap']);
  });

  it('remuxes an H.264/AC3 MKV to MP4, copying video and converting the audio to AAC', () => {
    const plan = asRemux(decide({ container: 'mkv', audio: [{ codec: 'ac3', channels: 6, bitrate: 640_000 }] }));
    expect(plan.container).toBe('mp4');
    expect(plan.video).toEqual({ copy: true, streamIndex: 0, codec: 'h264' });
    expect(plan.audio).toEqual([{ streamIndex: 1, action: 'encode', codec: 'aac', bitrate: 384_000, channels: 6 }]);
    expect(plan.reasons[0]).toBe('container mkv not in DirectPlayProfiles');
    expect(plan.reasons).toContain('audio ac3 (stream 1) → aac: not in the TranscodingProfile (aac,mp3)');
  });

  it('copies audio the Static profile lists when remuxing', () => {
    const plan = asRemux(decide({ container: 'matroska,webm' }));
    expect(plan.audio).toEqual([{ streamIndex: 1, action: 'copy', codec: 'aac', bitrate: 160_000 }]);
  });

  it('transcodes HEVC 10-bit to 8-bit H.264 High, keeping 1080p under a roomy cap', () => {
    const plan = asTranscode(decide({ videoCodec: 'hevc', bitDepth: 10, videoBitrate: 4_000_000 }));
    expect(plan.container).toBe('mp4');
    expect(plan.video).toMatchObject({ codec: 'h264', pixFmt: 'yuv420p', profile: 'high', width: 1920, height: 1080 });
    // No cap binds: 1.5 × the HEVC source's 4 Mbps, not the profile's 100 Mbps.
    expect(plan.video.maxBitrate).toBe(6_000_000);
    expect(plan.video.bitrate).toBe(5_400_000);
    expect(plan.video.bufsize).toBe(12_000_000);
    expect(plan.reasons).toContain('video codec hevc not in DirectPlayProfiles for mp4');
    expect(plan.reasons).toContain('no remux: video codec hevc not in the Static TranscodingProfile (h264)');
  });

  it('plays VP9/Opus WebM directly on a browser profile that takes WebM', () => {
    const plan = decide({ container: 'webm', videoCodec: 'vp9', videoProfile: 'Profile 0', audio: [{ codec: 'opus' }] }, { webm: true });
    expect(plan.kind).toBe('direct');
  });

  it('transcodes VP9/Opus WebM for an MP4-only profile, Opus becoming AAC', () => {
    const plan = asTranscode(
      decide({ container: 'webm', videoCodec: 'vp9', videoProfile: 'Profile 0', audio: [{ codec: 'opus', bitrate: 128_000 }] }),
    );
    expect(plan.video.codec).toBe('h264');
    expect(plan.audio).toEqual([{ streamIndex: 1, action: 'encode', codec: 'aac', bitrate: 128_000, channels: 2 }]);
  });

  it('transcodes MPEG-4 Part 2 AVI, copying MP3 audio that fits the audio budget', () => {
    const plan = asTranscode(
      decide({
        container: 'avi',
        videoCodec: 'mpeg4',
        videoProfile: 'Advanced Simple Profile',
        width: 720,
        height: 400,
        fps: 25,
        audio: [{ codec: 'mp3', bitrate: 128_000 }],
      }),
    );
    expect(plan.video).toMatchObject({ codec: 'h264', width: 720, height: 400, gop: 75, keyframeIntervalSeconds: 3 });
    expect(plan.audio).toEqual([{ streamIndex: 1, action: 'copy', codec: 'mp3', bitrate: 128_000 }]);
  });

  it('transcodes 4K over the Medium cap to 720p with rate control under the cap', () => {
    const plan = asTranscode(decide({ width: 3840, height: 2160, videoBitrate: 20_000_000 }, {}, { quality: 'medium' }));
    expect(plan.reasons[0]).toBe('bitrate 20.2 Mbps over the 4 Mbps cap');
    // maxrate = 4 M − 160 k audio (copied) − 100 k margin; b:v = 0.9 × maxrate; bufsize = 2 × maxrate.
    expect(plan.video).toMatchObject({ width: 1280, height: 720, maxBitrate: 3_740_000, bitrate: 3_366_000, bufsize: 7_480_000 });
    expect(plan.audio[0]).toMatchObject({ action: 'copy' });
  });

  it('drops to 480p at the Low cap and downmixes surround to stereo', () => {
    const plan = asTranscode(
      decide(
        { container: 'mkv', audio: [{ codec: 'ac3', channels: 6, bitrate: 448_000 }], videoBitrate: 8_000_000 },
        {},
        { quality: 'low' },
      ),
    );
    expect(plan.video).toMatchObject({ width: 854, height: 480 });
    expect(plan.audio).toEqual([{ streamIndex: 1, action: 'encode', codec: 'aac', bitrate: 128_000, channels: 2 }]);
    expect(plan.video.maxBitrate).toBe(1_500_000 - 128_000 - 100_000);
  });

  it('gives odd-sized frames even dimensions', () => {
    const plan = asTranscode(decide({ videoCodec: 'hevc', width: 1438, height: 807 }));
    expect(plan.video).toMatchObject({ width: 1438, height: 806 });
  });

  it('fits a 90°-rotated frame to the profile limits in display orientation', () => {
    const plan = asTranscode(decide({ videoCodec: 'hevc', width: 1920, height: 1080, rotation: 90 }, { maxWidth: 1920, maxHeight: 1080 }));
    expect(plan.video).toMatchObject({ width: 608, height: 1080 });
  });

  it('applies the bitrate ladder to portrait video by its long side', () => {
    const plan = asTranscode(decide({ width: 1920, height: 1080, rotation: -90, videoBitrate: 6_000_000 }, {}, { quality: 'low' }));
    expect(plan.video).toMatchObject({ width: 480, height: 854 });
  });

  it('converts 5.1 audio over MaxAudioChannels 2 while copying the video', () => {
    const plan = asRemux(decide({ audio: [{ codec: 'aac', channels: 6, bitrate: 384_000 }] }, { maxAudioChannels: 2 }));
    expect(plan.reasons[0]).toBe('AudioChannels 6 fails LessThanEqual 2 (aac codec profile)');
    expect(plan.audio).toEqual([{ streamIndex: 1, action: 'encode', codec: 'aac', bitrate: 192_000, channels: 2 }]);
  });

  it("keeps the user's audio language first, then the original (first) track, and drops the other dubs", () => {
    const source = {
      container: 'mkv',
      audio: [
        { codec: 'ac3', language: 'eng', isDefault: true, bitrate: 448_000, channels: 6 },
        { codec: 'aac', language: 'ger' },
        { codec: 'aac', language: 'fre' },
      ],
    };
    const plan = asRemux(decide(source, {}, { audioLanguage: 'fre' }));
    expect(plan.audio.map((a) => [a.streamIndex, a.language, a.action])).toEqual([
      [3, 'fre', 'copy'],
      [1, 'eng', 'encode'],
    ]);
    expect(orderAudioStreams(aSource(source).MediaStreams, 'fr').map((s) => s.Language)).toEqual(['fre', 'eng', 'ger']);
    expect(orderAudioStreams(aSource(source).MediaStreams).map((s) => s.Language)).toEqual(['eng', 'ger', 'fre']);
  });

  it('judges direct play by the audio stream the user will hear', () => {
    const source = {
      audio: [
        { codec: 'aac', language: 'eng' },
        { codec: 'ac3', language: 'jpn' },
      ],
    };
    expect(decide(source).kind).toBe('direct');
    expect(decide(source, {}, { audioLanguage: 'jpn' }).kind).toBe('remux');
  });

  it('extracts text subtitles to WebVTT sidecars and skips image subtitles', () => {
    const plan = asRemux(
      decide({
        container: 'mkv',
        subtitles: [
          { codec: 'subrip', language: 'eng' },
          { codec: 'hdmv_pgs_subtitle', language: 'eng' },
          { codec: 'ass', language: 'jpn', forced: true },
          { codec: 'srt', language: 'fre', external: 'movie.fr.srt' },
        ],
      }),
    );
    expect(plan.subtitles).toEqual([
      { index: 2, external: false, codec: 'srt', language: 'eng', forced: false, action: 'extract', format: 'vtt' },
      { index: 3, external: false, codec: 'pgssub', language: 'eng', forced: false, action: 'skip-image' },
      { index: 4, external: false, codec: 'ass', language: 'jpn', forced: true, action: 'extract', format: 'vtt' },
      { index: 5, external: true, path: 'movie.fr.srt', codec: 'srt', language: 'fre', forced: false, action: 'extract', format: 'vtt' },
    ]);
  });

  it('burns the chosen image subtitle into a transcode when the profile allows Encode', () => {
    const plan = asTranscode(
      decide(
        {
          container: 'mkv',
          videoCodec: 'hevc',
          subtitles: [
            { codec: 'pgssub', language: 'eng' },
            { codec: 'srt', language: 'eng' },
          ],
        },
        {
          subtitleProfiles: [
            { Format: 'vtt', Method: 'External' },
            { Format: '', Method: 'Encode' },
          ],
        },
        { subtitleLanguage: 'eng' },
      ),
    );
    expect(plan.subtitles.map((s) => s.action)).toEqual(['burn', 'skip']);
  });

  it('serves the source for Original quality but still extracts its text subtitles', () => {
    const plan = decide(
      { container: 'mkv', videoCodec: 'hevc', bitDepth: 10, subtitles: [{ codec: 'subrip', language: 'eng' }] },
      {},
      { quality: 'original' },
    );
    expect(plan).toMatchObject({ kind: 'direct', reasons: ['Original quality serves the source file'] });
    expect(plan.kind === 'direct' && plan.subtitles[0].action).toBe('extract');
    expect(needsConversion(plan)).toBe(true);
    expect(needsConversion(decide({}, {}, { quality: 'original' }))).toBe(false);
  });

  describe('with EnableSyncTranscoding=false', () => {
    const off = { enableTranscoding: false };
    it('never re-encodes video: an HEVC file is served as is', () => {
      const plan = decide({ container: 'mkv', videoCodec: 'hevc' }, {}, off);
      expect(plan.kind).toBe('direct');
      expect(plan.reasons.at(-1)).toBe('transcoding is off for this user (EnableSyncTranscoding=false); serving the source');
    });
    it('still remuxes when only the container and audio are wrong', () => {
      expect(decide({ container: 'mkv', audio: [{ codec: 'ac3' }] }, {}, off).kind).toBe('remux');
    });
    it('ignores the quality cap, which only a re-encode could meet', () => {
      expect(decide({ videoBitrate: 30_000_000 }, {}, { ...off, quality: 'low' }).kind).toBe('direct');
    });
  });

  it('uses a Custom bitrate as the cap, and acts as High without one', () => {
    const plan = asTranscode(decide({ videoBitrate: 10_000_000 }, {}, { quality: 'custom', bitrate: 2_000_000 }));
    expect(plan.video).toMatchObject({ maxBitrate: 1_740_000, width: 1280, height: 720 });
    expect(decide({ videoBitrate: 10_000_000 }, {}, { quality: 'custom' }).kind).toBe('direct');
  });

  it('lets a job Bitrate override the quality cap', () => {
    const plan = asTranscode(decide({ videoBitrate: 10_000_000 }, {}, { quality: 'medium', bitrate: 8_000_000 }));
    expect(plan.video.maxBitrate).toBe(7_740_000);
  });

  it('serves the source when the profile has no Static Video transcoding profile', () => {
    const plan = decide({ container: 'mkv', videoCodec: 'hevc' }, { staticVideo: null });
    expect(plan.kind).toBe('direct');
    expect(plan.reasons.at(-1)).toBe('no Static Video TranscodingProfile; serving the source');
  });

  it('caps the frame rate and keyframe spacing from the profile', () => {
    const plan = asTranscode(decide({ videoCodec: 'hevc', fps: 59.94 }, { maxFramerate: 30 }));
    expect(plan.video).toMatchObject({ framerate: 30, gop: 90 });
  });

  it('uses the Streaming transcoding profile in the Streaming context', () => {
    const plan = asTranscode(decide({ videoCodec: 'hevc' }, {}, { context: 'Streaming' }));
    expect(plan.container).toBe('ts');
  });
});

describe('decideConversion — songs and photos', () => {
  const song = (source = aSong(), extra: Partial<ConversionInput> = {}, profile: ProfileSpec = {}) =>
    decideConversion({ mediaType: 'Audio', source, profile: aProfile(profile), quality: 'high', enableTranscoding: true, ...extra });

  it('plays an MP3 directly', () => {
    expect(song().kind).toBe('direct');
  });

  it('remuxes when only the container is wrong (AAC in Matroska → m4a)', () => {
    expect(song(aSong({ container: 'mka', codec: 'aac' }))).toMatchObject({
      kind: 'audio-remux',
      container: 'm4a',
      audio: { action: 'copy', codec: 'aac' },
    });
  });

  it('transcodes an unplayable codec with the Static Audio profile at 128 kbps by default', () => {
    expect(song(aSong({ container: 'ogg', codec: 'vorbis' }))).toMatchObject({
      kind: 'audio-transcode',
      container: 'mp3',
      audio: { streamIndex: 0, action: 'encode', codec: 'mp3', bitrate: 128_000, channels: 2 },
    });
  });

  it('transcodes a song over MaxStaticMusicBitrate at the lowest of the audio limits', () => {
    const plan = song(
      aSong({ codec: 'mp3', bitrate: 320_000 }),
      { bitrate: 96_000, quality: 'custom' },
      { maxStaticMusicBitrate: 192_000, musicTranscodingBitrate: 256_000 },
    );
    expect(plan).toMatchObject({ kind: 'audio-transcode', audio: { bitrate: 192_000 } });
    const capped = song(aSong({ codec: 'vorbis', container: 'ogg' }), { bitrate: 96_000, quality: 'custom' });
    expect(capped).toMatchObject({ kind: 'audio-transcode', audio: { bitrate: 96_000 } });
  });

  it('serves songs as they are for Original quality and without transcoding rights', () => {
    expect(song(aSong({ container: 'ogg', codec: 'vorbis' }), { quality: 'original' }).kind).toBe('direct');
    expect(song(aSong({ container: 'ogg', codec: 'vorbis' }), { enableTranscoding: false }).kind).toBe('direct');
  });

  it('always passes photos through', () => {
    const plan = decideConversion({
      mediaType: 'Photo',
      source: aSource({ container: 'jpg', videoCodec: null, audio: [] }),
      profile: aProfile(),
      quality: 'low',
      enableTranscoding: true,
    });
    expect(plan).toMatchObject({ kind: 'direct', mediaType: 'Photo' });
  });
});

describe('estimateSize', () => {
  it('is the source size when the bytes are copied', () => {
    const source = aSource({ container: 'mkv', size: 123_456_789 });
    expect(estimateSize(decide({}), source)).toBe(123_456_789);
    expect(estimateSize(asRemux(decide({ container: 'mkv' })), source)).toBe(123_456_789);
  });

  it('is (video + audio bitrate) × duration ÷ 8 for a transcode', () => {
    const spec = { width: 3840, height: 2160, videoBitrate: 20_000_000, durationSeconds: 100 };
    const plan = asTranscode(decide(spec, {}, { quality: 'medium' }));
    expect(estimateSize(plan, aSource(spec))).toBe(((3_366_000 + 160_000) * 100) / 8);
  });
});

describe('planKey', () => {
  it('is stable, ignores the prose reasons, and carries the recipe version', () => {
    const a = decide({ container: 'mkv' });
    const b = { ...decide({ container: 'mkv' }), reasons: ['something else'] };
    expect(planKey(a)).toBe(planKey(b));
    expect(planKey(a)).toContain(`"recipe":${RECIPE_VERSION}`);
    expect(planKey(a).startsWith('{"plan":{"audio":')).toBe(true);
  });

  it('differs when the output would differ', () => {
    const spec = { videoBitrate: 20_000_000 };
    expect(planKey(decide(spec, {}, { quality: 'medium' }))).not.toBe(planKey(decide(spec, {}, { quality: 'low' })));
  });

  it('is the same for two devices whose profiles lead to the same plan', () => {
    const spec = { container: 'mkv', videoCodec: 'hevc' };
    expect(planKey(decide(spec))).toBe(planKey(decide(spec, { webm: true, maxStaticBitrate: '100000000' })));
  });
});

describe('decideConversion — H.264 level', () => {
  it('leaves the level to x264 when the frame fits under the profile maximum', () => {
    const plan = asTranscode(decide({ videoCodec: 'hevc' }));
    expect(plan.video.level).toBeUndefined();
  });

  it('passes the profile maximum on when the frame needs more', () => {
    const profile = aProfile();
    profile.CodecProfiles![0].Conditions!.push({ Condition: 'LessThanEqual', Property: 'VideoLevel', Value: '40', IsRequired: false });
    const plan = asTranscode(
      decideConversion({
        mediaType: 'Video',
        source: aSource({ videoCodec: 'hevc', fps: 60 }),
        profile,
        quality: 'high',
        enableTranscoding: true,
      }),
    );
    expect(plan.video.level).toBe(40);
    expect(plan.reasons).toContain('level capped at 40 (the frame needs 42)');
  });
});
