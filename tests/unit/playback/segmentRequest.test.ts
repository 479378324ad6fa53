import { describe, expect, it } from 'vitest';
import { completedSegments, decideSegmentAction, throttleDecision } from '../../../src/server/playback/segmentRequest.js';

const running = (startSegment: number, highestComplete: number) => ({ startSegment, highestComplete, state: 'running' as const });

describe('decideSegmentAction', () => {
  it('serves a complete segment whatever the encoder does', () => {
    expect(
      decideSegmentAction({
        requested: 4,
        complete: true,
        run: { startSegment: 9, highestComplete: 8, state: 'failed' },
        maxGapSegments: 3,
      }),
    ).toBe('serve');
  });

  it('starts an encoder when none runs', () => {
    expect(decideSegmentAction({ requested: 0, complete: false, maxGapSegments: 3 })).toBe('restart');
  });

  it('waits for a segment the encoder reaches soon', () => {
    expect(decideSegmentAction({ requested: 5, complete: false, run: running(0, 4), maxGapSegments: 3 })).toBe('wait');
    expect(decideSegmentAction({ requested: 7, complete: false, run: running(0, 4), maxGapSegments: 3 })).toBe('wait');
    // Before the first segment of a fresh run: wait for it.
    expect(decideSegmentAction({ requested: 10, complete: false, run: running(10, 9), maxGapSegments: 3 })).toBe('wait');
  });

  it('restarts at a segment far ahead of the encoder instead of waiting', () => {
    expect(decideSegmentAction({ requested: 8, complete: false, run: running(0, 4), maxGapSegments: 3 })).toBe('restart');
    expect(decideSegmentAction({ requested: 400, complete: false, run: running(0, 0), maxGapSegments: 3 })).toBe('restart');
  });

  it('restarts for a segment behind the run start (a seek back past what was encoded)', () => {
    expect(decideSegmentAction({ requested: 3, complete: false, run: running(10, 14), maxGapSegments: 3 })).toBe('restart');
  });

  it('fails fast once ffmpeg failed, and answers "end" only when a run started there wrote nothing', () => {
    expect(
      decideSegmentAction({
        requested: 0,
        complete: false,
        run: { startSegment: 0, highestComplete: -1, state: 'failed' },
        maxGapSegments: 3,
      }),
    ).toBe('fail');
    expect(
      decideSegmentAction({
        requested: 30,
        complete: false,
        run: { startSegment: 30, highestComplete: 29, state: 'finished' },
        maxGapSegments: 3,
      }),
    ).toBe('end');
    // A remux cut at 4 s source keyframes wrote 8 segments where the playlist lists 10: restart there.
    expect(
      decideSegmentAction({
        requested: 8,
        complete: false,
        run: { startSegment: 0, highestComplete: 7, state: 'finished' },
        maxGapSegments: 3,
      }),
    ).toBe('restart');
    expect(
      decideSegmentAction({
        requested: 2,
        complete: false,
        run: { startSegment: 5, highestComplete: 29, state: 'finished' },
        maxGapSegments: 3,
      }),
    ).toBe('restart');
  });
});

describe('throttleDecision', () => {
  it('pauses an encoder far ahead of the player and resumes it when the player catches up', () => {
    expect(throttleDecision(false, 30, 5, 20)).toBe('pause');
    expect(throttleDecision(false, 25, 5, 20)).toBe('keep');
    expect(throttleDecision(true, 30, 12, 20)).toBe('keep');
    expect(throttleDecision(true, 30, 20, 20)).toBe('resume');
  });
});

describe('completedSegments', () => {
  it('reads the segments an ffmpeg run playlist lists as complete, ignoring other runs', () => {
    const text =
      '#EXTM3U\n#EXT-X-TARGETDURATION:3\n#EXT-X-MEDIA-SEQUENCE:3\n#EXTINF:3.000000,\nr2-3.ts\n#EXTINF:2.960000,\nr2-4.ts\n#EXTINF:3.0,\nr1-5.ts\n';
    expect([...completedSegments(text, 'r2')]).toEqual([
      [3, 3],
      [4, 2.96],
    ]);
    expect(completedSegments('', 'r1').size).toBe(0);
  });
});
