import { describe, expect, it } from 'vitest';
import { TICKS_PER_SECOND } from '../../src/shared/api/items.js';
import { decidePlayedPosition } from '../../src/server/userdata/resumeRules.js';

const minutes = (m: number) => m * 60 * TICKS_PER_SECOND;
const R = minutes(100);

describe('decidePlayedPosition (API.md §5.12)', () => {
  it('starts over below 5 %, leaving the played flag alone', () => {
    expect(decidePlayedPosition(R, 0)).toEqual({ markPlayed: false, positionTicks: 0 });
    expect(decidePlayedPosition(R, R * 0.0499)).toEqual({ markPlayed: false, positionTicks: 0 });
  });

  it('resumes from exactly 5 % up to exactly 90 %', () => {
    expect(decidePlayedPosition(R, R * 0.05)).toEqual({ markPlayed: false, positionTicks: R * 0.05 });
    expect(decidePlayedPosition(R, R * 0.5)).toEqual({ markPlayed: false, positionTicks: R * 0.5 });
    expect(decidePlayedPosition(R, R * 0.9)).toEqual({ markPlayed: false, positionTicks: R * 0.9 });
  });

  it('marks played above 90 % or past the end', () => {
    expect(decidePlayedPosition(R, R * 0.9 + 1)).toEqual({ markPlayed: true, positionTicks: 0 });
    expect(decidePlayedPosition(R, R * 2)).toEqual({ markPlayed: true, positionTicks: 0 });
  });

  it('marks played without a position or a runtime', () => {
    expect(decidePlayedPosition(R, undefined)).toEqual({ markPlayed: true, positionTicks: 0 });
    expect(decidePlayedPosition(null, minutes(10))).toEqual({ markPlayed: true, positionTicks: 0 });
    expect(decidePlayedPosition(0, minutes(10))).toEqual({ markPlayed: true, positionTicks: 0 });
  });

  it('never resumes items shorter than 300 s, but still ignores a start under 5 %', () => {
    const short = 299 * TICKS_PER_SECOND;
    expect(decidePlayedPosition(short, short / 2)).toEqual({ markPlayed: true, positionTicks: 0 });
    expect(decidePlayedPosition(short, short * 0.01)).toEqual({ markPlayed: false, positionTicks: 0 });
    const exactly = 300 * TICKS_PER_SECOND;
    expect(decidePlayedPosition(exactly, exactly / 2)).toEqual({ markPlayed: false, positionTicks: exactly / 2 });
  });
});
