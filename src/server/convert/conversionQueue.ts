/**
 * The port between the sync core and whatever runs ffmpeg (in-process or BullMQ). The unit of work is an
 * output key, never a job item: many items share one output. Implementations write `conversion_outputs`
 * themselves and emit events; the sync core listens and updates the job items that point at the key.
 */
import { EventEmitter } from 'node:events';

export interface ConversionEvent {
  key: string;
  /** Encoder progress 0–100 ('progress', 'started'). */
  progress?: number;
  /** Readable reason, ending in ffmpeg's stderr tail ('failed'). */
  error?: string;
}

export type ConversionEventName = 'started' | 'progress' | 'ready' | 'failed';

export interface ConversionQueue {
  /** Queue the output (status 'queued') if it is not queued or running already; lower priority runs first. */
  schedule(key: string, priority: number): Promise<void>;
  /** Drop it from the queue or stop its ffmpeg; resolves when it is no longer running. Row → 'queued'. */
  cancel(key: string): Promise<void>;
  /** Recover after a restart and begin converting. */
  start(): Promise<void>;
  /** Stop converting; running outputs go back to 'queued' (API.md §5.5 "Shutdown → Queued"). */
  stop(): Promise<void>;
  on(event: ConversionEventName, listener: (e: ConversionEvent) => void): this;
  off(event: ConversionEventName, listener: (e: ConversionEvent) => void): this;
}

/** Typed emitter both queues extend. */
export class ConversionEmitter extends EventEmitter {
  override on(event: ConversionEventName, listener: (e: ConversionEvent) => void): this {
    return super.on(event, listener);
  }
  override off(event: ConversionEventName, listener: (e: ConversionEvent) => void): this {
    return super.off(event, listener);
  }
  override emit(event: ConversionEventName, e: ConversionEvent): boolean {
    return super.emit(event, e);
  }
}

/** Progress goes to SQLite at most every 2 s (API.md §5.5) and to listeners at most every ~1 s. */
export const PROGRESS_SAVE_MS = 2000;
export const PROGRESS_EMIT_MS = 1000;

/** Rate limits progress per key; `flush` forgets the key when its conversion ends. */
export class ProgressThrottle {
  private readonly last = new Map<string, { saved: number; emitted: number }>();

  constructor(
    private readonly save: (key: string, progress: number) => void,
    private readonly emit: (key: string, progress: number) => void,
    private readonly saveEveryMs = PROGRESS_SAVE_MS,
    private readonly emitEveryMs = PROGRESS_EMIT_MS,
    private readonly now: () => number = Date.now,
  ) {}

  report(key: string, progress: number): void {
    const t = this.now();
    const l = this.last.get(key) ?? { saved: -Infinity, emitted: -Infinity };
    if (t - l.saved >= this.saveEveryMs) {
      l.saved = t;
      this.save(key, progress);
    }
    if (t - l.emitted >= this.emitEveryMs) {
      l.emitted = t;
      this.emit(key, progress);
    }
    this.last.set(key, l);
  }

  flush(key: string): void {
    this.last.delete(key);
  }
}
