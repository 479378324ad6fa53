/**
 * The default queue: ffmpeg runs as child processes of the server. SQLite is the source of truth — this
 * class only orders the work — so after a restart the queue is rebuilt from `conversion_outputs` rows
 * that job items still reference (API.md §9.6).
 */
import os from 'node:os';
import type { Logger } from 'pino';
import type { MediaBinaries } from '../media/binaries.js';
import { ConversionEmitter, ProgressThrottle, type ConversionQueue } from './conversionQueue.js';
import type { ConversionResult } from './conversionTypes.js';
import { pickNext, type PendingEntry } from './fairness.js';
import { isAbortError } from './ffmpegProcess.js';
import type { OutputStore } from './outputStore.js';
import { runConversion, type RunConversionOptions } from './runner.js';
import type { ConversionPlan } from '../../shared/profile/decision.js';
import type { SyncOptionsSource } from '../sync/syncSettings.js';

export interface InProcessQueueDeps {
  store: OutputStore;
  binaries: MediaBinaries;
  settings: SyncOptionsSource;
  log: Logger;
  /** The runner; tests swap in a fake to check ordering without ffmpeg. */
  run?: (options: RunConversionOptions) => Promise<ConversionResult>;
  progressSaveMs?: number;
  progressEmitMs?: number;
  /** CPU cores for light work (default: os.availableParallelism()). */
  cores?: number;
}

interface Running {
  controller: AbortController;
  done: Promise<void>;
  light: boolean;
  /** ffmpeg has exited; only the light tail (hash, probe, fsync) is left: it no longer holds a slot. */
  finishing?: boolean;
}

/**
 * Work with no video encode: a remux copies video (~100–200× real time, mostly I/O), a direct item only
 * hashes and extracts subtitles, a song's audio encode takes seconds. One of these may run beside the
 * MaxConcurrentConversions transcodes instead of waiting minutes behind one for a few seconds of work.
 */
function isLight(plan: ConversionPlan): boolean {
  return plan.kind !== 'transcode';
}

/**
 * How many light runs may go at once when every slot is taken. Beside a transcode (which spreads over
 * every core) one; with no transcode running, one per core: a remux's audio encode or a song's keeps one
 * core busy, so on 2 cores two of them finish a backlog of remuxes in about half the time, where running
 * them one after another left a core idle.
 */
export function lightLanes(transcodeRunning: boolean, cores: number): number {
  return transcodeRunning ? 1 : Math.max(1, cores);
}

export class InProcessQueue extends ConversionEmitter implements ConversionQueue {
  private readonly pending = new Map<string, PendingEntry>();
  private readonly running = new Map<string, Running>();
  /** owner → when it last got a slot (a rising counter), for round-robin among equal priorities. */
  private readonly lastServed = new Map<string, number>();
  private seq = 0;
  private served = 0;
  private started = false;
  private unsubscribe?: () => void;
  private readonly throttle: ProgressThrottle;
  private readonly run: (options: RunConversionOptions) => Promise<ConversionResult>;
  private readonly cores: number;

  constructor(private readonly deps: InProcessQueueDeps) {
    super();
    this.run = deps.run ?? runConversion;
    this.cores = deps.cores ?? os.availableParallelism();
    this.throttle = new ProgressThrottle(
      (key, p) => deps.store.setProgress(key, p),
      (key, p) => this.emit('progress', { key, progress: p }),
      deps.progressSaveMs,
      deps.progressEmitMs,
    );
  }

  async start(): Promise<void> {
    if (this.started) return;
    // A crash left 'converting' rows and half-written files: both go, and those outputs run again.
    await this.deps.store.cleanupOrphans({ resetConverting: true, keep: new Set(this.running.keys()) });
    for (const record of this.deps.store.queuedWithReferences())
      this.enqueue(record.key, record.priority, record.ownerUserId, isLight(record.plan));
    this.started = true;
    this.unsubscribe = this.deps.settings.onChange(() => this.pump());
    this.deps.log.info({ queued: this.pending.size }, 'conversion queue started');
    this.pump();
  }

  async stop(): Promise<void> {
    this.started = false;
    this.unsubscribe?.();
    const running = [...this.running.entries()];
    for (const [, r] of running) r.controller.abort();
    await Promise.all(running.map(([, r]) => r.done));
  }

  async schedule(key: string, priority: number): Promise<void> {
    const record = this.deps.store.get(key);
    if (!record) throw new Error(`no output ${key} to schedule`);
    // Ready needs nothing; failed waits for store.retry() so a broken file doesn't loop through ffmpeg.
    if (record.status === 'ready' || record.status === 'failed') return;
    if (priority < record.priority) this.deps.store.setPriority(key, priority);
    if (this.running.has(key)) return;
    this.enqueue(key, Math.min(priority, record.priority), record.ownerUserId, isLight(record.plan));
    this.pump();
  }

  async cancel(key: string): Promise<void> {
    this.pending.delete(key);
    const r = this.running.get(key);
    if (!r) return;
    r.controller.abort();
    await r.done;
  }

  /** What runs and what waits, in the order it will run (admin page, tests). */
  snapshot(): { running: string[]; pending: string[] } {
    const pending: string[] = [];
    const rest = new Map(this.pending);
    const served = new Map(this.lastServed);
    let counter = this.served;
    for (let next = pickNext(rest.values(), served); next; next = pickNext(rest.values(), served)) {
      pending.push(next.key);
      rest.delete(next.key);
      served.set(next.owner, ++counter);
    }
    return { running: [...this.running.keys()], pending };
  }

  private enqueue(key: string, priority: number, owner: string | null, light: boolean): void {
    const existing = this.pending.get(key);
    if (existing) existing.priority = Math.min(existing.priority, priority);
    else this.pending.set(key, { key, priority, owner: owner ?? '', seq: ++this.seq, light });
  }

  private concurrency(): number {
    return Math.max(1, this.deps.settings.get().MaxConcurrentConversions || 1);
  }

  private pump(): void {
    while (this.started) {
      const running = [...this.running.values()].filter((r) => !r.finishing);
      let next: PendingEntry | undefined;
      if (running.length < this.concurrency()) next = pickNext(this.pending.values(), this.lastServed);
      else if (
        running.filter((r) => r.light).length <
        lightLanes(
          running.some((r) => !r.light),
          this.cores,
        )
      ) {
        next = this.nextLight(running.some((r) => !r.light));
      }
      if (!next) return;
      this.pending.delete(next.key);
      this.lastServed.set(next.owner, ++this.served);
      this.launch(next.key);
    }
  }

  /**
   * Light work for a lane beyond the slots. Beside a transcode, any light entry; with only light work
   * running, only when the most urgent entry is light itself — a more urgent transcode is not overtaken,
   * it takes the next free slot.
   */
  private nextLight(transcodeRunning: boolean): PendingEntry | undefined {
    if (!transcodeRunning && !pickNext(this.pending.values(), this.lastServed)?.light) return undefined;
    return pickNext(
      [...this.pending.values()].filter((e) => e.light),
      this.lastServed,
    );
  }

  private launch(key: string): void {
    const { store, log } = this.deps;
    const record = store.get(key);
    if (!record || (record.status !== 'queued' && record.status !== 'converting')) return;
    const options = this.deps.settings.get();
    const controller = new AbortController();
    let heavyDone = false;
    store.markConverting(key);
    this.emit('started', { key, progress: 0 });
    log.info({ key, plan: record.plan.kind, source: record.sourcePath }, 'conversion started');

    const done = this.run({
      output: store.jobFor(record),
      binaries: this.deps.binaries,
      threads: options.TranscodingCpuCoreLimit,
      fullSpeed: options.EnableFullSpeedTranscoding,
      signal: controller.signal,
      onProgress: (p) => {
        if (p < 100 && !controller.signal.aborted) this.throttle.report(key, p);
      },
      onHeavyWorkDone: () => {
        heavyDone = true;
        const r = this.running.get(key);
        if (!r || r.controller !== controller) return;
        r.finishing = true;
        this.pump();
      },
      log,
    }).then(
      (result) => this.finish(key, controller, { result }),
      (error: unknown) => this.finish(key, controller, { error }),
    );
    this.running.set(key, { controller, done, light: isLight(record.plan), finishing: heavyDone });
  }

  /**
   * Bookkeeping after a run. The key leaves `running` before any event goes out, so a listener that
   * reacts by scheduling the same key again (after a retry) is not mistaken for a duplicate.
   */
  private finish(key: string, controller: AbortController, outcome: { result?: ConversionResult; error?: unknown }): void {
    const { store, log } = this.deps;
    this.running.delete(key);
    this.throttle.flush(key);
    try {
      if (controller.signal.aborted || isAbortError(outcome.error)) {
        // Cancelled or shut down: the row waits again (the sync core may release it right after).
        store.setStatus(key, 'queued');
        log.info({ key }, 'conversion stopped');
      } else if (outcome.result) {
        store.markReady(key, outcome.result);
        log.info({ key, ms: outcome.result.elapsedMs, size: outcome.result.size }, 'conversion ready');
        this.emit('progress', { key, progress: 100 });
        this.emit('ready', { key });
      } else {
        const message = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
        store.markFailed(key, message);
        log.warn({ key, err: message }, 'conversion failed');
        this.emit('failed', { key, error: message });
      }
    } catch (err) {
      log.error({ err, key }, 'conversion bookkeeping failed');
    }
    this.pump();
  }
}
