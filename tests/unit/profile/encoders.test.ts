/**
 * The decision with the server's encoder list (ConversionInput.encoders): a codec this ffmpeg can't write
 * is passed over for the profile's next, a plan with none left says which encoder is missing, and without
 * the list nothing changes.
 */
import { describe, expect, it } from 'vitest';
import { decideConversion, type ConversionInput, type ConversionPlan, type TranscodePlan } from '../../../src/shared/profile/decision.js';
import { AUDIO_ENCODERS, missingEncoderText, VIDEO_ENCODERS, type ServerEncoders } from '../../../src/shared/profile/encoders.js';
import { aProfile, aSong, aSource, type ProfileSpec, type SourceSpec } from '../builders.js';

/** Every codec the decision knows how to encode: what a full ffmpeg build offers. */
const EVERYTHING: ServerEncoders = { video: Object.keys(VIDEO_ENCODERS), audio: Object.keys(AUDIO_ENCODERS) };
const without = (...codecs: string[]): ServerEncoders => ({
  video: EVERYTHING.video.filter((c) => !codecs.includes(c)),
  audio: EVERYTHING.audio.filter((c) => !codecs.includes(c)),
});

/** MPEG-4 Part 2 in AVI with AC3: nothing about it plays on the test profile, so it is transcoded. */
const AVI: SourceSpec = { container: 'avi', videoCodec: 'mpeg4', videoProfile: 'Simple Profile', audio: [{ codec: 'ac3', channels: 2 }] };

function decide(profile: ProfileSpec, encoders?: ServerEncoders, source: SourceSpec = AVI): ConversionPlan {
  const input: ConversionInput = {
    mediaType: 'Video',
    source: aSource(source),
    profile: aProfile(profile),
    quality: 'high',
    enableTranscoding: true,
  };
  return decideConversion(encoders ? { ...input, encoders } : input);
}

function asTranscode(plan: ConversionPlan): TranscodePlan {
  expect(plan.kind, plan.reasons.join(' | ')).toBe('transcode');
  return plan as TranscodePlan;
}

const song = (profile: ProfileSpec, encoders?: ServerEncoders) =>
  decideConversion({
    mediaType: 'Audio',
    source: aSong({ container: 'flac', codec: 'flac', bitrate: 900_000 }),
    profile: aProfile({ ...profile, maxStaticMusicBitrate: 320_000 }),
    quality: 'high',
    enableTranscoding: true,
    ...(encoders ? { encoders } : {}),
  });

describe('decideConversion with the server encoders — video codec', () => {
  const hevcFirst: ProfileSpec = { staticVideo: { VideoCodec: 'hevc,h264' } };

  it("takes the profile's next codec when this ffmpeg has no encoder for the first, and says why", () => {
    const plan = asTranscode(decide(hevcFirst, without('hevc')));
    expect(plan.video.codec).toBe('h264');
    expect(plan.reasons).toContain("video h264, not hevc: this server's ffmpeg has no encoder for hevc (libx265)");
  });

  it('takes VP8 for a WebM device listing vp9,vp8 when libvpx-vp9 is missing', () => {
    const plan = asTranscode(decide({ staticVideo: { Container: 'webm', VideoCodec: 'vp9,vp8', AudioCodec: 'opus' } }, without('vp9')));
    expect(plan.video.codec).toBe('vp8');
    expect(plan.audio[0]).toMatchObject({ action: 'encode', codec: 'opus' });
  });

  it('serves the source with a reason naming the missing encoders when no listed codec can be encoded', () => {
    const plan = decide(hevcFirst, without('hevc', 'h264'));
    expect(plan.kind).toBe('direct');
    expect(plan.reasons.at(-1)).toBe("this server's ffmpeg has no encoder for hevc (libx265) or h264 (libx264); serving the source");
  });

  it('plans exactly as before without the list, and the same with every encoder present', () => {
    const unlisted = asTranscode(decide(hevcFirst));
    expect(unlisted.video.codec).toBe('hevc');
    expect(decide(hevcFirst, EVERYTHING)).toEqual(unlisted);
  });
});

describe('decideConversion with the server encoders — audio tracks of a video', () => {
  const opusFirst: ProfileSpec = { staticVideo: { Container: 'mkv', AudioCodec: 'opus,aac' } };

  it("encodes a track into the profile's next audio codec when libopus is missing", () => {
    expect(asTranscode(decide(opusFirst)).audio[0]).toMatchObject({ action: 'encode', codec: 'opus' });
    expect(asTranscode(decide(opusFirst, without('opus'))).audio[0]).toMatchObject({ action: 'encode', codec: 'aac' });
  });

  it('serves the source with a reason when a track must be re-encoded and no encoder is left', () => {
    const plan = decide({ staticVideo: { Container: 'webm', VideoCodec: 'vp9', AudioCodec: 'opus' } }, without('opus'));
    expect(plan.kind).toBe('direct');
    expect(plan.reasons.at(-1)).toBe(
      "audio ac3 (stream 1) must be re-encoded but this server's ffmpeg has no encoder for opus (libopus); serving the source",
    );
  });

  it('still copies a track that needs no change when no audio encoder is left', () => {
    // AAC in an MKV for an MP4 device: the video is copied and the AAC track fits the profile as it is.
    const plan = decide({}, without('aac', 'mp3', 'opus'), { container: 'mkv', audio: [{ codec: 'aac', bitrate: 160_000 }] });
    expect(plan).toMatchObject({ kind: 'remux', audio: [{ action: 'copy', codec: 'aac' }] });
  });
});

describe('decideConversion with the server encoders — songs', () => {
  const oggProfile: ProfileSpec = { staticAudio: { Container: 'ogg', AudioCodec: 'opus,vorbis' } };

  it("transcodes a song into the profile's next codec when libopus is missing", () => {
    expect(song(oggProfile)).toMatchObject({ kind: 'audio-transcode', audio: { codec: 'opus' } });
    const plan = song(oggProfile, without('opus'));
    expect(plan).toMatchObject({ kind: 'audio-transcode', container: 'ogg', audio: { codec: 'vorbis' } });
    expect(plan.reasons).toContain("vorbis, not opus: this server's ffmpeg has no encoder for opus (libopus)");
  });

  it('serves the song as it is with a reason when none of its codecs can be encoded', () => {
    const plan = song(oggProfile, without('opus', 'vorbis'));
    expect(plan.kind).toBe('direct');
    expect(plan.reasons.at(-1)).toBe("this server's ffmpeg has no encoder for opus (libopus) or vorbis (libvorbis); serving the source");
  });
});

describe('missingEncoderText', () => {
  it('names each codec once with the encoder ffmpeg would need', () => {
    expect(missingEncoderText('audio', ['opus', 'opus', 'mp3'])).toBe(
      "this server's ffmpeg has no encoder for opus (libopus) or mp3 (libmp3lame)",
    );
  });
});
