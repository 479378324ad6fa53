import { describe, expect, it } from 'vitest';
import { clock } from '../../../src/shared/clock.js';

describe('clock', () => {
  it('writes minutes and seconds below an hour, hours and padded minutes above', () => {
    expect(clock(0)).toBe('0:00');
    expect(clock(65)).toBe('1:05');
    expect(clock(3599)).toBe('59:59');
    expect(clock(3600)).toBe('1:00:00');
    expect(clock(3725)).toBe('1:02:05');
  });

  it('drops fractions and reads a negative time as zero', () => {
    expect(clock(5.9)).toBe('0:05');
    expect(clock(-3)).toBe('0:00');
  });
});
