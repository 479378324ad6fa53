/**
 * New content (API.md §5.4): when a job is re-expanded. `SyncNewContent` jobs gain what their selection gained
 * — on a library change at once, for a device's jobs when it asks for Items/Ready (at most once a minute
 * unless something changed), for all jobs in the 3-hour task — and a rolling window (UnwatchedOnly,
 * ItemLimit) takes its next item after one left the device.
 */
import type { JobCancellation } from './jobCancellation.js';
import type { JobItemProcessor } from './jobItemProcessor.js';
import type { JobItemRepository, JobRepository, UnitOfWork, UserDirectory } from './ports.js';

/** Items/Ready re-expands a device's jobs at least this often even when nothing announced a change. */
const REFRESH_AT_LEAST_EVERY_MS = 60_000;
/** Library items that leave the library fail these job items (Synced ones leave the device at Sync/Data). */
const NOT_YET_ON_DEVICE: readonly string[] = ['Queued', 'Converting', 'ReadyToTransfer', 'Transferring'];

export class RefreshScheduler {
  private changeVersion = 0;
  private readonly refreshedAt = new Map<string, { version: number; at: number }>();
  private readonly now: () => Date;

  constructor(
    private readonly d: {
      store: JobRepository & JobItemRepository;
      uow: UnitOfWork;
      users: UserDirectory;
      processor: JobItemProcessor;
      cancellation: Pick<JobCancellation, 'cancelJob'>;
      now?: () => Date;
    },
  ) {
    this.now = d.now ?? (() => new Date());
  }

  /**
   * What a refresh depends on (the library, played states, jobs) changed. Items/Ready re-expands a target's
   * jobs only after such a change, or once a minute: clients poll it, and expanding a large category on
   * every poll would cost seconds per request on a 20 000-item library.
   */
  markChanged(): void {
    this.changeVersion++;
  }

  refreshTargetIfStale(targetId: string): void {
    const last = this.refreshedAt.get(targetId);
    const now = this.now().getTime();
    if (last && last.version === this.changeVersion && now - last.at < REFRESH_AT_LEAST_EVERY_MS) return;
    this.refreshedAt.set(targetId, { version: this.changeVersion, at: now });
    this.refresh(targetId);
  }

  /** Re-expands SyncNewContent jobs (of one target, or all) and plans what they gained. */
  refresh(targetId?: string): void {
    const jobs = targetId ? this.d.store.jobsOfTarget(targetId) : this.d.store.allJobs();
    for (const job of jobs) {
      const owner = this.d.users.get(job.userId);
      if (!owner) {
        // Jobs of deleted users are cancelled (§5.4).
        this.d.cancellation.cancelJob(job);
        continue;
      }
      if (!job.syncNewContent || !owner.policy.EnableSync) continue;
      const added = this.d.uow.run(() => {
        const n = this.d.processor.ensureJobItems(job).length;
        if (n) this.d.processor.recomputeJob(job.id);
        return n;
      });
      if (added) this.d.processor.processJob(job.id);
    }
  }

  /** The rolling window: after an item leaves, a job with UnwatchedOnly/ItemLimit gets its next item. */
  refreshJob(jobId: string): void {
    const job = this.d.store.getJob(jobId);
    if (!job) return;
    const owner = this.d.users.get(job.userId);
    if (!owner?.policy.EnableSync) return;
    this.d.uow.run(() => {
      this.d.processor.ensureJobItems(job);
      this.d.processor.recomputeJob(job.id);
    });
    this.d.processor.processJob(job.id);
  }

  /**
   * Library items left the library: items not yet on the device fail with the reason (the job goes on);
   * Synced copies are removed from the device by the next Sync/Data.
   */
  libraryItemsRemoved(itemIds: readonly string[]): void {
    for (const itemId of itemIds) {
      for (const ji of this.d.store.itemsForLibraryItem(itemId)) {
        if (!NOT_YET_ON_DEVICE.includes(ji.status)) continue;
        const job = this.d.store.getJob(ji.jobId);
        if (job) this.d.uow.run(() => this.d.processor.fail(this.d.store.getItem(ji.id)!, job, 'The item is no longer in the library'));
      }
    }
  }
}
