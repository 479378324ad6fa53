import { describe, expect, it } from 'vitest';
import {
  audioCodecString,
  avcCodecString,
  buildMasterPlaylist,
  buildVariantPlaylist,
  segmentDurations,
  segmentIndexAt,
  videoCodecStringOf,
} from '../../../src/server/playback/hlsPlaylists.js';
import { aVideoStream } from '../builders.js';

describe('segmentDurations', () => {
  it('cuts a source into fixed segments with a shorter last one', () => {
    expect(segmentDurations(10, 3)).toEqual([3, 3, 3, 1]);
  });

  it('folds a tail under half a second into the last segment (ffmpeg never writes it alone)', () => {
    const d = segmentDurations(90.023, 3);
    expect(d).toHaveLength(30);
    expect(d.at(-1)).toBeCloseTo(3.023, 6);
  });

  it('gives a very short source one segment, and nothing for no duration', () => {
    expect(segmentDurations(0.3, 3)).toEqual([0.3]);
    expect(segmentDurations(0, 3)).toEqual([]);
  });

  it('finds the segment for a start position, clamped to the last', () => {
    expect(segmentIndexAt(0, 60, 3)).toBe(0);
    expect(segmentIndexAt(7.5, 60, 3)).toBe(2);
    expect(segmentIndexAt(500, 60, 3)).toBe(19);
  });
});

describe('buildVariantPlaylist', () => {
  it('lists every TS segment up front as a VOD playlist that ends', () => {
    const text = buildVariantPlaylist({
      durationSeconds: 7,
      segmentSeconds: 3,
      segmentType: 'mpegts',
      segmentUrl: (i) => `hls1/main/${i}.ts?k=1`,
    });
    expect(text).toBe(
      [
        '#EXTM3U',
        '#EXT-X-VERSION:3',
        '#EXT-X-TARGETDURATION:3',
        '#EXT-X-MEDIA-SEQUENCE:0',
        '#EXT-X-PLAYLIST-TYPE:VOD',
        '#EXT-X-INDEPENDENT-SEGMENTS',
        '#EXTINF:3.000000,',
        'hls1/main/0.ts?k=1',
        '#EXTINF:3.000000,',
        'hls1/main/1.ts?k=1',
        '#EXTINF:1.000000,',
        'hls1/main/2.ts?k=1',
        '#EXT-X-ENDLIST',
        '',
      ].join('\n'),
    );
  });

  it('declares the init segment and version 7 for fMP4', () => {
    const text = buildVariantPlaylist({
      durationSeconds: 6,
      segmentSeconds: 3,
      segmentType: 'fmp4',
      segmentUrl: (i) => `${i}.mp4`,
      initUrl: 'init.mp4',
    });
    expect(text).toContain('#EXT-X-VERSION:7');
    expect(text).toContain('#EXT-X-MAP:URI="init.mp4"');
    expect(text).toContain('\n0.mp4\n');
  });

  it('keeps every rounded EXTINF within the target duration', () => {
    const text = buildVariantPlaylist({ durationSeconds: 9.5, segmentSeconds: 3, segmentType: 'mpegts', segmentUrl: (i) => `${i}.ts` });
    expect(text).toContain('#EXT-X-TARGETDURATION:4');
  });
});

describe('buildMasterPlaylist', () => {
  it('describes the one variant with bandwidth, resolution and codecs', () => {
    const text = buildMasterPlaylist({
      bandwidth: 2_000_000,
      width: 1280,
      height: 720,
      codecs: ['avc1.64001f', 'mp4a.40.2'],
      variantUrl: 'main.m3u8?a=b',
    });
    expect(text).toBe(
      '#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-STREAM-INF:BANDWIDTH=2000000,AVERAGE-BANDWIDTH=1600000,RESOLUTION=1280x720,CODECS="avc1.64001f,mp4a.40.2"\nmain.m3u8?a=b\n',
    );
  });
});

describe('codec strings', () => {
  it('spells H.264 profiles and levels as browsers expect', () => {
    expect(avcCodecString('High', 41)).toBe('avc1.640029');
    expect(avcCodecString('main', 31)).toBe('avc1.4d401f');
    expect(avcCodecString('Constrained Baseline', 30)).toBe('avc1.42e01e');
    expect(avcCodecString(undefined, undefined)).toBe('avc1.640028');
  });

  it('describes a copied stream from its probe, and audio codecs by name', () => {
    expect(videoCodecStringOf(aVideoStream({ videoCodec: 'h264', videoProfile: 'High', level: 40 }))).toBe('avc1.640028');
    expect(videoCodecStringOf(aVideoStream({ videoCodec: 'hevc', level: 120 }))).toBe('hvc1.1.6.L120.B0');
    expect(videoCodecStringOf(aVideoStream({ videoCodec: 'vp9' }))).toBeUndefined();
    expect(audioCodecString('aac')).toBe('mp4a.40.2');
    expect(audioCodecString('mp3')).toBe('mp4a.40.34');
    expect(audioCodecString('ac-3')).toBe('ac-3');
  });
});
