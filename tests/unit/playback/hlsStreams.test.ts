import { describe, expect, it } from 'vitest';
import { profileFromUrl } from '../../../src/server/playback/hlsStreams.js';

describe('profileFromUrl', () => {
  it('takes the segment container and the first codec of each list from the URL', () => {
    expect(
      profileFromUrl('Video', { SegmentContainer: 'mp4', VideoCodec: 'hevc,h264', AudioCodec: 'opus,aac' }).TranscodingProfiles,
    ).toEqual([
      expect.objectContaining({
        Type: 'Video',
        Container: 'mp4',
        VideoCodec: 'hevc',
        AudioCodec: 'opus',
        Context: 'Streaming',
        Protocol: 'hls',
      }),
    ]);
  });

  it('falls back to the HLS profile Emby web clients use: TS with H.264 and AAC', () => {
    expect(profileFromUrl('Audio', {}).TranscodingProfiles).toEqual([
      expect.objectContaining({ Type: 'Audio', Container: 'ts', AudioCodec: 'aac' }),
    ]);
    expect(profileFromUrl('Video', { SegmentContainer: 'm4s' }).TranscodingProfiles?.[0]).toMatchObject({
      Container: 'mp4',
      VideoCodec: 'h264',
    });
  });
});
