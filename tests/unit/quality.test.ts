import { describe, expect, it } from 'vitest';
import {
  allowedQualities,
  defaultQualityId,
  isQualityAllowed,
  parseQualityId,
  QUALITY_LEVELS,
  qualityCap,
  qualityOptions,
} from '../../src/shared/quality.js';

const on = { EnableSyncTranscoding: true };
const off = { EnableSyncTranscoding: false };

describe('quality table', () => {
  it('lists Original, High (default), Medium, Low and Custom with Original marked as the original file', () => {
    expect(QUALITY_LEVELS.map((q) => [q.id, q.name, q.isDefault, q.isOriginalQuality])).toEqual([
      ['original', 'Original', false, true],
      ['high', 'High', true, false],
      ['medium', 'Medium', false, false],
      ['low', 'Low', false, false],
      ['custom', 'Custom', false, false],
    ]);
  });

  it('parses ids in any case and rejects unknown ones', () => {
    expect(parseQualityId('MEDIUM')).toBe('medium');
    expect(parseQualityId(' low ')).toBe('low');
    expect(parseQualityId('ultra')).toBeUndefined();
    expect(parseQualityId(3)).toBeUndefined();
  });
});

describe('qualityCap', () => {
  it('has no cap for Original, whatever the profile or job says', () => {
    expect(qualityCap('original', 4_000_000, 1_000_000)).toBeUndefined();
  });

  it("caps High at the profile's MaxStaticBitrate, and not at all without one", () => {
    expect(qualityCap('high', '20000000')).toBe(20_000_000);
    expect(qualityCap('high', undefined)).toBeUndefined();
  });

  it('caps Medium and Low at min(profile, 4 / 1.5 Mbps), also without a profile limit', () => {
    expect(qualityCap('medium', 20_000_000)).toBe(4_000_000);
    expect(qualityCap('medium', 3_000_000)).toBe(3_000_000);
    expect(qualityCap('medium', undefined)).toBe(4_000_000);
    expect(qualityCap('low', 20_000_000)).toBe(1_500_000);
    expect(qualityCap('low', '')).toBe(1_500_000);
  });

  it('lets a job Bitrate replace the cap for every quality but Original; custom without one acts as High', () => {
    expect(qualityCap('custom', 20_000_000, 2_500_000)).toBe(2_500_000);
    expect(qualityCap('low', 20_000_000, '6000000')).toBe(6_000_000);
    expect(qualityCap('custom', 20_000_000)).toBe(20_000_000);
    expect(qualityCap('custom', 20_000_000, 0)).toBe(20_000_000);
  });
});

describe('quality options by policy', () => {
  it('offers every level with High as the default when transcoding is allowed', () => {
    const options = qualityOptions(on);
    expect(options.map((o) => o.Id)).toEqual(['original', 'high', 'medium', 'low', 'custom']);
    expect(options.filter((o) => o.IsDefault).map((o) => o.Id)).toEqual(['high']);
    expect(options[0]).toEqual({
      Name: 'Original',
      Description: 'The original file, unchanged',
      Id: 'original',
      IsDefault: false,
      IsOriginalQuality: true,
    });
  });

  it('offers only Original, as the default, when EnableSyncTranscoding is false', () => {
    expect(qualityOptions(off)).toEqual([
      { Name: 'Original', Description: 'The original file, unchanged', Id: 'original', IsDefault: true, IsOriginalQuality: true },
    ]);
    expect(allowedQualities(off).map((q) => q.id)).toEqual(['original']);
    expect(defaultQualityId(off)).toBe('original');
    expect(defaultQualityId(on)).toBe('high');
  });

  it('adds an EstimatedSize per quality when the caller can estimate one', () => {
    const options = qualityOptions(on, (id) => (id === 'low' ? 1000 : undefined));
    expect(options.find((o) => o.Id === 'low')?.EstimatedSize).toBe(1000);
    expect(options.find((o) => o.Id === 'high')).not.toHaveProperty('EstimatedSize');
  });

  it('refuses another quality or a Bitrate without transcoding rights', () => {
    expect(isQualityAllowed(off, 'original')).toBe(true);
    expect(isQualityAllowed(off, 'high')).toBe(false);
    expect(isQualityAllowed(off, 'original', 2_000_000)).toBe(false);
    expect(isQualityAllowed(on, 'custom', 2_000_000)).toBe(true);
  });
});
