import { describe, expect, it } from 'vitest';
import { decideStreaming } from '../../../src/server/playback/playbackDecision.js';
import type { DeviceProfile } from '../../../src/shared/profile/types.js';
import { aSource } from '../builders.js';

/** Plays nothing directly; streams HLS with HEVC preferred, H.264 next. */
const HEVC_FIRST: DeviceProfile = {
  TranscodingProfiles: [
    { Container: 'ts', Type: 'Video', VideoCodec: 'hevc,h264', AudioCodec: 'aac', Protocol: 'hls', Context: 'Streaming' },
  ],
};
const source = aSource({ container: 'avi', videoCodec: 'mpeg4', videoProfile: 'Simple Profile', audio: [{ codec: 'ac3' }] });
const request = { profile: HEVC_FIRST, enableDirectPlay: true, enableTranscoding: true };

describe('decideStreaming with the server encoders', () => {
  it("streams in the profile's next codec when this ffmpeg has no encoder for the first", () => {
    expect(decideStreaming('Video', source, request).stream).toMatchObject({ kind: 'transcode', video: { codec: 'hevc' } });
    const decision = decideStreaming('Video', source, { ...request, encoders: { video: ['h264'], audio: ['aac'] } });
    expect(decision).toMatchObject({ method: 'Transcode', stream: { kind: 'transcode', video: { codec: 'h264' } } });
  });

  it('offers no stream, and says why, when no listed codec can be encoded', () => {
    const decision = decideStreaming('Video', source, { ...request, encoders: { video: ['vp9'], audio: ['aac'] } });
    expect(decision.stream).toBeUndefined();
    expect(decision.reasons.at(-1)).toBe("this server's ffmpeg has no encoder for hevc (libx265) or h264 (libx264); serving the source");
  });
});
