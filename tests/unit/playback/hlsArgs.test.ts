import { describe, expect, it } from 'vitest';
import { buildHlsArgs, type StreamPlan } from '../../../src/server/playback/hlsArgs.js';
import { decideStreaming } from '../../../src/server/playback/playbackDecision.js';
import { aProfile, aSong, aSource } from '../builders.js';

const common = {
  inputPath: '/media/in.mkv',
  dir: '/data/transcodes/abc',
  runName: 'r2',
  segmentSeconds: 3,
  segmentType: 'mpegts' as const,
  threads: 0,
};

function streamPlan(source = aSource({ container: 'mkv', audio: [{ codec: 'ac3', channels: 6 }] })): StreamPlan {
  const d = decideStreaming('Video', source, { profile: aProfile(), enableDirectPlay: true, enableTranscoding: true });
  if (!d.stream) throw new Error('expected a stream');
  return d.stream;
}

describe('buildHlsArgs', () => {
  it('remuxes from a far segment: -ss before the input, absolute timestamps, numbered run files', () => {
    const args = buildHlsArgs(streamPlan(), { ...common, startSegment: 10 });
    expect(args).toEqual([
      '-hide_banner',
      '-nostdin',
      '-y',
      '-v',
      'error',
      '-ss',
      '30',
      '-i',
      '/media/in.mkv',
      '-map',
      '0:0',
      '-c:v',
      'copy',
      '-map',
      '0:1',
      '-c:a',
      'aac',
      '-b:a',
      '160k',
      '-ac',
      '6',
      '-sn',
      '-dn',
      '-max_muxing_queue_size',
      '1024',
      '-output_ts_offset',
      '30',
      '-f',
      'hls',
      '-hls_time',
      '3',
      '-hls_list_size',
      '0',
      '-hls_segment_type',
      'mpegts',
      '-start_number',
      '10',
      '-hls_segment_filename',
      '/data/transcodes/abc/r2-%d.ts',
      '/data/transcodes/abc/r2.m3u8',
    ]);
  });

  it('forces a keyframe at every segment boundary when transcoding', () => {
    const plan = streamPlan(aSource({ container: 'mkv', videoCodec: 'hevc', videoProfile: 'Main', fps: 25 }));
    expect(plan.kind).toBe('transcode');
    const args = buildHlsArgs(plan, { ...common, startSegment: 0 });
    expect(args).not.toContain('-ss');
    expect(args[args.indexOf('-force_key_frames') + 1]).toBe('expr:gte(t,n_forced*3)');
    expect(args[args.indexOf('-g') + 1]).toBe('75');
    expect(args[args.indexOf('-c:v') + 1]).toBe('libx264');
  });

  it('picks the requested audio track and writes fMP4 with its own init file', () => {
    const plan = streamPlan(
      aSource({
        container: 'mkv',
        audio: [
          { codec: 'ac3', language: 'eng' },
          { codec: 'aac', language: 'fre' },
        ],
      }),
    );
    const args = buildHlsArgs(plan, { ...common, startSegment: 0, segmentType: 'fmp4', audioStreamIndex: 2 });
    expect(args.join(' ')).toContain('-map 0:2 -c:a copy');
    expect(args.join(' ')).toContain('-hls_segment_type fmp4 -hls_fmp4_init_filename r2-init.mp4');
    expect(args.at(-2)).toBe('/data/transcodes/abc/r2-%d.mp4');
  });

  it('streams audio-only for a song the browser cannot play', () => {
    const d = decideStreaming('Audio', aSong({ container: 'wma', codec: 'wmav2' }), {
      profile: {
        ...aProfile(),
        TranscodingProfiles: [{ Container: 'ts', Type: 'Audio', AudioCodec: 'aac', Context: 'Streaming', Protocol: 'hls' }],
      },
      enableDirectPlay: true,
      enableTranscoding: true,
    });
    expect(d.method).toBe('Transcode');
    const args = buildHlsArgs(d.stream!, { ...common, startSegment: 0 });
    expect(args.join(' ')).toContain('-map 0:0 -vn -c:a aac -b:a 128k -ac 2');
  });
});

describe('decideStreaming', () => {
  it('direct-plays what the profile plays, and streams the same file for another audio track', () => {
    const source = aSource({
      audio: [
        { codec: 'aac', language: 'eng' },
        { codec: 'aac', language: 'fre' },
      ],
    });
    const direct = decideStreaming('Video', source, { profile: aProfile(), enableDirectPlay: true, enableTranscoding: true });
    expect(direct).toMatchObject({ directPlay: true, method: 'DirectPlay' });
    const other = decideStreaming('Video', source, {
      profile: aProfile(),
      audioStreamIndex: 2,
      enableDirectPlay: true,
      enableTranscoding: true,
    });
    expect(other).toMatchObject({ directPlay: true, method: 'Remux' });
    expect(other.reasons.join(' ')).toMatch(/not the file's default track/);
  });

  it('caps a transcode at MaxStreamingBitrate', () => {
    const source = aSource({ container: 'mkv', videoCodec: 'hevc', videoProfile: 'Main', videoBitrate: 20_000_000 });
    const d = decideStreaming('Video', source, {
      profile: aProfile(),
      maxStreamingBitrate: 3_000_000,
      enableDirectPlay: true,
      enableTranscoding: true,
    });
    expect(d.stream?.kind).toBe('transcode');
    if (d.stream?.kind === 'transcode') expect(d.stream.video.maxBitrate).toBeLessThanOrEqual(3_000_000);
  });

  it('offers nothing to stream to a client without a streaming profile', () => {
    const profile = { ...aProfile(), TranscodingProfiles: aProfile().TranscodingProfiles!.filter((p) => p.Context === 'Static') };
    const d = decideStreaming('Video', aSource({ container: 'mkv', videoCodec: 'hevc' }), {
      profile,
      enableDirectPlay: true,
      enableTranscoding: true,
    });
    expect(d.directPlay).toBe(false);
    expect(d.stream).toBeUndefined();
    expect(d.reasons.at(-1)).toMatch(/no Streaming Video TranscodingProfile/);
  });
});
