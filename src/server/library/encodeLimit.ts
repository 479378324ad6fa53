/**
 * At most N image encodes at once, the rest wait their turn in order: image requests come in bursts (a
 * grid of posters) and each encode can fill a core. Counts what ran at once, for the dashboard and tests.
 */
export class EncodeLimit {
  private active = 0;
  private peakActive = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly limit: number) {}

  get running(): number {
    return this.active;
  }

  /** Most encodes that ran at the same time since start. */
  get peak(): number {
    return this.peakActive;
  }

  async run<T>(job: () => Promise<T>): Promise<T> {
    // A finishing job hands its slot straight to the next waiter, so a newcomer cannot slip in between.
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    this.peakActive = Math.max(this.peakActive, this.active);
    try {
      return await job();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}
