/**
 * One shared byte budget for every sync download (`UploadSpeedLimitBytes`, API.md §5.13): a token bucket
 * kept as a "theoretical arrival time" (GCRA), so N parallel downloads share the rate instead of each
 * getting it. Each stream asks for small pieces (≤ 1/20 s of budget) in turn, which keeps the shares fair
 * and lets a new rate — changed by the administrator at runtime — apply within a fraction of a second.
 */
import { Transform, type TransformCallback } from 'node:stream';

/** A burst of this long at full rate may go out at once (TCP slow start, the first chunk of a Range). */
const BURST_MS = 100;
const MAX_PIECE = 64 * 1024;
const MIN_PIECE = 1024;

export class SharedRateLimiter {
  private bytesPerSecond = 0;
  /** When the bytes granted so far will have gone out at the current rate (ms since the epoch). */
  private tat = 0;
  private readonly waiting = new Set<() => void>();

  constructor(
    bytesPerSecond = 0,
    private readonly now: () => number = Date.now,
  ) {
    this.setRate(bytesPerSecond);
  }

  get rate(): number {
    return this.bytesPerSecond;
  }

  /** 0 (or less) = unlimited. Waiting pieces are released and ask again under the new rate. */
  setRate(bytesPerSecond: number): void {
    this.bytesPerSecond = Number.isFinite(bytesPerSecond) && bytesPerSecond > 0 ? bytesPerSecond : 0;
    this.tat = this.now();
    for (const release of [...this.waiting]) release();
  }

  /** Bytes one stream should ask for at a time under the current rate. */
  pieceSize(): number {
    if (this.bytesPerSecond === 0) return Number.POSITIVE_INFINITY;
    return Math.max(MIN_PIECE, Math.min(MAX_PIECE, Math.floor(this.bytesPerSecond / 20)));
  }

  /** Milliseconds to wait before sending `bytes`; reserves them. */
  reserve(bytes: number): number {
    if (this.bytesPerSecond === 0) return 0;
    const now = this.now();
    this.tat = Math.max(this.tat, now) + (bytes / this.bytesPerSecond) * 1000;
    return Math.max(0, this.tat - now - BURST_MS);
  }

  /** Resolves when `bytes` may be sent (at once when unlimited or within the burst). */
  acquire(bytes: number): Promise<void> | undefined {
    const wait = this.reserve(bytes);
    if (wait <= 0) return undefined;
    return new Promise((resolve) => {
      const release = () => {
        clearTimeout(timer);
        this.waiting.delete(release);
        resolve();
      };
      const timer = setTimeout(release, wait);
      this.waiting.add(release);
    });
  }

  /** A pass-through stream that lets bytes out only as the shared budget allows. */
  throttle(): Transform {
    return new ThrottleStream(this);
  }
}

class ThrottleStream extends Transform {
  constructor(private readonly limiter: SharedRateLimiter) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.sendPieces(chunk).then(() => done(), done);
  }

  private async sendPieces(chunk: Buffer): Promise<void> {
    let offset = 0;
    while (offset < chunk.length && !this.destroyed) {
      const size = Math.min(this.limiter.pieceSize(), chunk.length - offset);
      const piece = chunk.subarray(offset, offset + size);
      const wait = this.limiter.acquire(piece.length);
      if (wait) await wait;
      if (this.destroyed) return;
      this.push(piece);
      offset += size;
    }
  }
}
