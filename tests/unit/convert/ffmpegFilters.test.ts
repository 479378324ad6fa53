import { describe, expect, it } from 'vitest';
import { filterSupport } from '../../../src/server/convert/ffmpegFilters.js';

describe('filterSupport', () => {
  it("takes the toolchain's self-test answer when it has one", async () => {
    expect(await filterSupport({ ffmpeg: '/nowhere/ffmpeg', hasFilter: (n) => n === 'zscale' || n === 'tonemap' })).toEqual({
      zscale: true,
    });
    expect(await filterSupport({ ffmpeg: '/nowhere/ffmpeg', hasFilter: (n) => n === 'tonemap' })).toEqual({ zscale: false });
  });

  it('falls back to no zscale when a plain binary cannot list its filters', async () => {
    expect(await filterSupport({ ffmpeg: '/nowhere/ffmpeg' })).toEqual({ zscale: false });
  });
});
