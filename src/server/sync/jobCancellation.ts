/**
 * Cancelling (API.md §5.11): a job goes with its items, conversions stop, outputs are released and the
 * device is told; an item is Cancelled (a Synced one only marked to leave the device), and a job left with
 * nothing on its way or on the device is cancelled as a whole.
 */
import type { SyncEvents } from '../events/syncEvents.js';
import type { JobItemProcessor } from './jobItemProcessor.js';
import type { JobViews } from './jobViews.js';
import type { JobItemRepository, JobRepository, UnitOfWork } from './ports.js';
import { ACTIVE_STATUSES, type JobItemRecord, type JobRecord } from './records.js';

export class JobCancellation {
  constructor(
    private readonly d: {
      store: JobRepository & JobItemRepository;
      uow: UnitOfWork;
      processor: JobItemProcessor;
      views: JobViews;
      events: Pick<SyncEvents, 'emitEvent'>;
    },
  ) {}

  cancelJob(job: JobRecord): void {
    const dto = this.d.views.jobDto(job);
    const keys = new Set<string>();
    const leaving: JobItemRecord[] = [];
    this.d.uow.run(() => {
      for (const ji of this.d.store.itemsOfJob(job.id)) {
        if (ji.outputKey) keys.add(ji.outputKey);
        if (ACTIVE_STATUSES.includes(ji.status)) leaving.push(ji);
      }
      this.d.store.deleteJob(job.id);
      // Another job's item for the same library item and device was waiting (Cancelled): it goes now.
      for (const ji of leaving) this.d.processor.wakeWaitingDuplicate(ji);
    });
    for (const key of keys) this.d.processor.releaseIfUnused(key);
    this.d.events.emitEvent('jobCancelled', { userId: job.userId, targetId: job.targetId, job: { ...dto, Status: 'Cancelled' } });
    this.d.events.emitEvent('jobChanged', { jobId: job.id, userId: job.userId, targetId: job.targetId });
  }

  /** DELETE /Sync/JobItems/{id} and MarkForRemoval: a Synced item is marked to leave the device; others are cancelled. */
  cancelItem(item: JobItemRecord, job: JobRecord): void {
    let jobEmpty = false;
    this.d.uow.run(() => {
      const next =
        item.status === 'Synced'
          ? this.d.processor.setItem(item, job, { isMarkedForRemoval: true })
          : this.d.processor.setItem(item, job, { status: 'Cancelled', progress: 0, isMarkedForRemoval: true });
      this.d.events.emitEvent('itemCancelled', {
        userId: job.userId,
        targetId: job.targetId,
        item: this.d.views.itemDto(next, job, false),
      });
      const items = this.d.store.itemsOfJob(job.id);
      const live = items.some((i) => ACTIVE_STATUSES.includes(i.status) && !(i.status === 'Synced' && i.isMarkedForRemoval));
      jobEmpty = !live && !items.some((i) => i.status === 'Synced');
    });
    if (jobEmpty) this.cancelJob(job);
  }
}
