import { describe, expect, it } from 'vitest';
import { parseNameList, parseVersion } from '../../../src/server/media/capabilities.js';

describe('parseVersion', () => {
  it('reads distribution and static-build version strings', () => {
    expect(parseVersion('ffmpeg version 5.1.9-0+deb12u1 Copyright (c) 2000-2026 the FFmpeg developers\nbuilt with gcc')).toBe(
      '5.1.9-0+deb12u1',
    );
    expect(parseVersion('ffprobe version N-66595-gc2b38619c0-static https://johnvansickle.com/ffmpeg/')).toBe('N-66595-gc2b38619c0-static');
    expect(parseVersion('garbage')).toBeUndefined();
  });
});

describe('parseNameList', () => {
  it('reads encoder names below the legend rule', () => {
    const out = [
      'Encoders:',
      ' V..... = Video',
      ' A..... = Audio',
      ' ------',
      ' V....D libx264              libx264 H.264 / AVC / MPEG-4 AVC (codec h264)',
      ' A....D aac                  AAC (Advanced Audio Coding)',
      ' S..... webvtt               WebVTT subtitle',
    ].join('\n');
    expect(parseNameList(out)).toEqual(['libx264', 'aac', 'webvtt']);
  });

  it('reads filter names, skipping the legend that has no rule', () => {
    const out = [
      'Filters:',
      '  T.. = Timeline support',
      '  A = Audio input/output',
      '  | = Source or sink filter',
      ' TS. bwdif             V->V       Deinterlace the input image.',
      ' .SC zscale            V->V       Apply resizing, colorspace and bit depth conversion.',
      ' ... abuffer           |->A       Buffer audio frames.',
    ].join('\n');
    expect(parseNameList(out)).toEqual(['bwdif', 'zscale', 'abuffer']);
  });
});
