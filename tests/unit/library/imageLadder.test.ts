import { describe, expect, it } from 'vitest';
import { snapQuality, snapSize, snapVariant, variantKey } from '../../../src/server/library/imageLadder.js';

describe('image size ladder', () => {
  it('snaps a size up to the next rung and caps it at the top one', () => {
    expect(snapSize(1)).toBe(120);
    expect(snapSize(120)).toBe(120);
    expect(snapSize(121)).toBe(240);
    expect(snapSize(1000)).toBe(1280);
    expect(snapSize(8192)).toBe(3840);
  });

  it('snaps quality up to 60, 75 or 90, with 90 as the default and the ceiling', () => {
    expect(snapQuality(undefined)).toBe(90);
    expect(snapQuality(1)).toBe(60);
    expect(snapQuality(61)).toBe(75);
    expect(snapQuality(80)).toBe(90);
    expect(snapQuality(100)).toBe(90);
  });

  it('turns width/height and maxWidth/maxHeight into one bounding box, or nothing when nothing was asked', () => {
    expect(snapVariant({})).toBeUndefined();
    expect(snapVariant({ maxWidth: 300 })).toEqual({ width: 360, height: undefined, quality: 90 });
    expect(snapVariant({ width: 100, height: 100, quality: 50 })).toEqual({ width: 120, height: 120, quality: 60 });
    expect(snapVariant({ quality: 70 })).toEqual({ width: undefined, height: undefined, quality: 75 });
  });

  it('gives every request on the same rung the same key: at most ladder² × qualities variants per image', () => {
    const keys = new Set<string>();
    for (let w = 1; w <= 8192; w += 7) keys.add(variantKey('t', snapVariant({ maxWidth: w, quality: (w % 100) + 1 })!));
    expect(keys.size).toBeLessThanOrEqual(10 * 3);
  });
});
