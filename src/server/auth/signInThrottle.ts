/**
 * Failed sign-ins per key (name + address) in a sliding window; past the limit, sign-in answers 429.
 *
 * Keys whose failures have all expired are dropped — when they are next looked at, and by a sweep once
 * the map grows — so a stream of made-up names cannot grow the server's memory without bound.
 */
export class SignInThrottle {
  private readonly failures = new Map<string, number[]>();
  private lastSweep = 0;

  constructor(
    private readonly maxFailures: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
    private readonly sweepAbove = 1000,
  ) {}

  /** True when the key has used up its failures in the window. */
  isBlocked(key: string): boolean {
    return this.recent(key).length >= this.maxFailures;
  }

  recordFailure(key: string): void {
    const list = this.recent(key);
    list.push(this.now());
    this.failures.set(key, list);
    if (this.failures.size > this.sweepAbove && this.now() - this.lastSweep > this.windowMs / 10) this.sweep();
  }

  forget(key: string): void {
    this.failures.delete(key);
  }

  /** Keys currently remembered (for tests and diagnostics). */
  get size(): number {
    return this.failures.size;
  }

  private recent(key: string): number[] {
    const cutoff = this.now() - this.windowMs;
    const recent = (this.failures.get(key) ?? []).filter((t) => t > cutoff);
    if (recent.length > 0) this.failures.set(key, recent);
    else this.failures.delete(key);
    return recent;
  }

  private sweep(): void {
    this.lastSweep = this.now();
    for (const key of [...this.failures.keys()]) this.recent(key);
  }
}
