/**
 * One sync run at a time. A trigger during a run books one more run after it (and resolves when that is
 * done), so a push that arrives mid-run is never lost and runs never overlap — two loops would download
 * the same chunks.
 */
import type { RunOptions } from './runContext';
import type { RunSummary } from './ports';

/** What the person paused: single items (in memory, mirrored in each record's `blocked`) or everything. */
export class PauseState {
  readonly items = new Set<string>();
  all = false;

  isPaused(id: string): boolean {
    return this.all || this.items.has(id);
  }
}

export interface RunSchedulerDeps {
  run(options: RunOptions): Promise<RunSummary>;
  /** Read before each run: "pause all" survives the worker being stopped and started again. */
  pausedAll(): Promise<boolean>;
  pause: PauseState;
  /** Work that rides on the first run (camera uploads); its failure never fails the run. */
  afterFirstRun?(signal: AbortSignal): Promise<unknown>;
}

export class RunScheduler {
  private running?: Promise<RunSummary>;
  private again?: { reason: string; retryQuota: boolean };

  constructor(private readonly deps: RunSchedulerDeps) {}

  /** Starts a run, or books one more after the current one; resolves when the work asked for is done. */
  request(reason: string, retryQuota = false): Promise<RunSummary> {
    if (this.running) {
      this.again = { reason, retryQuota: retryQuota || (this.again?.retryQuota ?? false) };
      return this.running;
    }
    this.running = this.runUntilQuiet(reason, retryQuota).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async runUntilQuiet(reason: string, retryQuota: boolean): Promise<RunSummary> {
    const { deps } = this;
    const signal = new AbortController().signal;
    deps.pause.all = await deps.pausedAll();
    let summary = await deps.run({ reason, retryQuota, signal, downloads: !deps.pause.all });
    await deps.afterFirstRun?.(signal).catch((err: unknown) => console.warn('work after the sync run failed', err));
    while (this.again) {
      const next = this.again;
      this.again = undefined;
      summary = await deps.run({ reason: next.reason, retryQuota: next.retryQuota, signal, downloads: !deps.pause.all });
    }
    return summary;
  }
}
