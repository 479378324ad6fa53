/**
 * Touch gestures on the video, as phone players do them (pure: times and positions in, actions out):
 *   - a tap shows or hides the controls;
 *   - a second tap on the left or right part within 300 ms seeks 10 s back or forward, and every further
 *     quick tap on that side adds 10 s more (YouTube's, Netflix's rule);
 *   - a horizontal swipe scrubs: the preview follows the finger (the whole width is 90 s, or the whole
 *     video when shorter), and lifting the finger seeks there. A mostly vertical move is left alone.
 */

export type GestureAction = { kind: 'toggle-controls' } | { kind: 'seek'; by: number } | { kind: 'scrub'; by: number } | { kind: 'none' };

export interface GestureOptions {
  doubleTapMs: number;
  seekSeconds: number;
  /** Movement before a touch counts as a swipe, px. */
  swipeThreshold: number;
  /** Seconds a swipe across the whole width moves. */
  secondsPerWidth: number;
  /** The left and right parts that seek on a double tap; the middle only toggles. */
  sideFraction: number;
}

export const DEFAULT_GESTURES: GestureOptions = {
  doubleTapMs: 300,
  seekSeconds: 10,
  swipeThreshold: 24,
  secondsPerWidth: 90,
  sideFraction: 0.4,
};

type Side = 'left' | 'middle' | 'right';

interface Touch {
  x: number;
  y: number;
  width: number;
  swiping: boolean;
}

export class TouchGestures {
  private touch: Touch | undefined;
  private lastTap: { at: number; side: Side } | undefined;
  private readonly opts: GestureOptions;

  constructor(
    opts: Partial<GestureOptions> = {},
    /** The video's duration in seconds, when known (a short video scrubs over its whole length). */
    private readonly duration: () => number | undefined = () => undefined,
  ) {
    this.opts = { ...DEFAULT_GESTURES, ...opts };
  }

  down(x: number, y: number, width: number): void {
    this.touch = { x, y, width: Math.max(1, width), swiping: false };
  }

  /** While the finger moves: the scrub preview in seconds, once the move is a swipe. */
  move(x: number, y: number): number | undefined {
    const t = this.touch;
    if (!t) return undefined;
    const dx = x - t.x;
    const dy = y - t.y;
    if (!t.swiping && Math.abs(dx) >= this.opts.swipeThreshold && Math.abs(dx) > Math.abs(dy) * 1.5) t.swiping = true;
    return t.swiping ? this.scrubSeconds(dx, t.width) : undefined;
  }

  up(x: number, y: number, at: number): GestureAction {
    const t = this.touch;
    this.touch = undefined;
    if (!t) return { kind: 'none' };
    if (t.swiping) {
      this.lastTap = undefined;
      const by = this.scrubSeconds(x - t.x, t.width);
      return by === 0 ? { kind: 'none' } : { kind: 'scrub', by };
    }
    // Moved a little, but not a swipe (or mostly vertical): not a tap either.
    if (Math.hypot(x - t.x, y - t.y) >= this.opts.swipeThreshold) return { kind: 'none' };
    const side = this.sideOf(x, t.width);
    const previous = this.lastTap;
    this.lastTap = { at, side };
    if (previous && side !== 'middle' && previous.side === side && at - previous.at <= this.opts.doubleTapMs) {
      return { kind: 'seek', by: side === 'left' ? -this.opts.seekSeconds : this.opts.seekSeconds };
    }
    return { kind: 'toggle-controls' };
  }

  cancel(): void {
    this.touch = undefined;
  }

  private sideOf(x: number, width: number): Side {
    const f = x / width;
    return f < this.opts.sideFraction ? 'left' : f > 1 - this.opts.sideFraction ? 'right' : 'middle';
  }

  private scrubSeconds(dx: number, width: number): number {
    const d = this.duration();
    const span = d && Number.isFinite(d) && d > 0 ? Math.min(d, this.opts.secondsPerWidth) : this.opts.secondsPerWidth;
    return Math.round((dx / width) * span);
  }
}
