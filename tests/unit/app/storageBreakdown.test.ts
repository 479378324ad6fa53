/** The storage bar's numbers (src/app/offline/storageBreakdown.ts): one set, and the quota is never called free disk. */
import { describe, expect, it } from 'vitest';
import { storageBreakdown } from '../../../src/app/offline/storageBreakdown';

const MB = 1_000_000;

describe('storage breakdown', () => {
  it('splits the browser quota into downloads, other site data and the room left', () => {
    const b = storageBreakdown(300 * MB, { usage: 320 * MB, quota: 1000 * MB });
    expect(b).toMatchObject({ downloads: 300 * MB, other: 20 * MB, room: 680 * MB });
    expect(b.segments.map((s) => [s.key, Math.round(s.percent)])).toEqual([
      ['downloads', 30],
      ['other', 2],
      ['room', 68],
    ]);
  });

  it('never shows downloads larger than what the estimate says the site uses in all', () => {
    const b = storageBreakdown(300 * MB, { usage: 250 * MB, quota: 1000 * MB });
    expect(b.other).toBe(0);
    expect(b.room).toBe(700 * MB);
  });

  it('without an estimate shows only what the downloads take', () => {
    const b = storageBreakdown(5 * MB, {});
    expect(b.other).toBeUndefined();
    expect(b.room).toBeUndefined();
    expect(b.segments).toEqual([{ key: 'downloads', bytes: 5 * MB, percent: 100 }]);
  });
});
