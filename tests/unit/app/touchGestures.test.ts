/** Touch gestures on the video (src/app/player/touchGestures.ts): tap, double tap to seek, swipe to scrub. */
import { describe, expect, it } from 'vitest';
import { TouchGestures } from '../../../src/app/player/touchGestures';

const W = 400;

function tap(g: TouchGestures, x: number, at: number) {
  g.down(x, 100, W);
  return g.up(x, 100, at);
}

describe('touch gestures', () => {
  it('a single tap shows or hides the controls', () => {
    expect(tap(new TouchGestures(), 200, 0)).toEqual({ kind: 'toggle-controls' });
  });

  it('a double tap on the right seeks 10 s forward, on the left 10 s back, and more quick taps keep adding', () => {
    const g = new TouchGestures();
    expect(tap(g, 350, 0)).toEqual({ kind: 'toggle-controls' });
    expect(tap(g, 350, 200)).toEqual({ kind: 'seek', by: 10 });
    expect(tap(g, 350, 400)).toEqual({ kind: 'seek', by: 10 });
    expect(tap(g, 30, 1000)).toEqual({ kind: 'toggle-controls' });
    expect(tap(g, 30, 1250)).toEqual({ kind: 'seek', by: -10 });
  });

  it('two taps too far apart in time, on different sides or in the middle are two single taps', () => {
    const g = new TouchGestures();
    tap(g, 350, 0);
    expect(tap(g, 350, 301)).toEqual({ kind: 'toggle-controls' });
    expect(tap(g, 30, 400)).toEqual({ kind: 'toggle-controls' });
    tap(g, 200, 1000);
    expect(tap(g, 200, 1100)).toEqual({ kind: 'toggle-controls' });
  });

  it('a sideways swipe scrubs in proportion: the whole width is 90 s', () => {
    const g = new TouchGestures();
    g.down(100, 100, W);
    expect(g.move(110, 101)).toBeUndefined(); // not a swipe yet
    expect(g.move(300, 105)).toBe(45);
    expect(g.up(300, 105, 0)).toEqual({ kind: 'scrub', by: 45 });
    g.down(300, 100, W);
    g.move(100, 100);
    expect(g.up(100, 100, 500)).toEqual({ kind: 'scrub', by: -45 });
  });

  it('a short video scrubs over its own length', () => {
    const g = new TouchGestures({}, () => 30);
    g.down(0, 100, W);
    g.move(400, 100);
    expect(g.up(400, 100, 0)).toEqual({ kind: 'scrub', by: 30 });
  });

  it('a mostly vertical move is neither a tap nor a swipe, and does not start a double tap', () => {
    const g = new TouchGestures();
    g.down(350, 100, W);
    expect(g.move(360, 200)).toBeUndefined();
    expect(g.up(360, 200, 0)).toEqual({ kind: 'none' });
    expect(tap(g, 350, 100)).toEqual({ kind: 'toggle-controls' });
  });
});
