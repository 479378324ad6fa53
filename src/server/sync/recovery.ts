/**
 * Getting back on track (API.md §9.6): after a restart, conversions start again from Queued, downloads that
 * were running broke off, and items that never got a plan are planned; at any time, an item whose finished
 * output vanished from disk is queued to be converted again.
 */
import { itemProgress } from '../../shared/jobStatus.js';
import type { ConversionPort } from './conversionPort.js';
import type { JobItemProcessor } from './jobItemProcessor.js';
import type { JobItemRepository, JobRepository, UnitOfWork } from './ports.js';
import type { JobItemRecord, JobRecord } from './records.js';

export class Recovery {
  constructor(
    private readonly d: {
      store: JobRepository & JobItemRepository;
      uow: UnitOfWork;
      processor: JobItemProcessor;
      conversion?: Pick<ConversionPort, 'release'>;
    },
  ) {}

  /** Before the queue starts: Converting items go back to Queued, Transferring ones to ReadyToTransfer. */
  recoverAfterRestart(): void {
    this.d.uow.run(() => {
      for (const ji of this.d.store.queryItems({ statuses: ['Converting', 'Transferring'] }).items) {
        const job = this.d.store.getJob(ji.jobId);
        if (!job) continue;
        if (ji.status === 'Converting') this.d.processor.setItem(ji, job, { status: 'Queued', progress: 0 });
        else this.d.processor.setItem(ji, job, { status: 'ReadyToTransfer', progress: itemProgress('ReadyToTransfer') });
      }
    });
  }

  /**
   * After the queue started: Queued items that never got a plan (the server stopped before, or their plan
   * crashed before issue 14's fix) are planned now, so none stays Queued across restarts.
   */
  planUnplanned(): number {
    let n = 0;
    for (const ji of this.d.store.queryItems({ statuses: ['Queued'] }).items) {
      if (ji.outputKey) continue;
      this.d.uow.run(() => this.d.processor.processItem(this.d.store.getItem(ji.id)!));
      n++;
    }
    return n;
  }

  /** The output vanished: the item goes back to Queued and is converted again. */
  requeueMissing(item: JobItemRecord, job: JobRecord): void {
    this.d.uow.run(() => {
      this.d.processor.setItem(item, job, { status: 'Queued', progress: 0, outputKey: null, mediaSource: null, outputFileName: null });
      if (item.outputKey) this.d.conversion?.release(item.outputKey);
    });
    this.d.processor.processJob(job.id);
  }

  /** Items whose finished output is no longer on disk go back to Queued (the output is converted again). */
  requeueVanishedOutputs(isPresent: (key: string) => boolean): number {
    let count = 0;
    // A Synced item keeps its copy on the device; only what still has to be downloaded is redone.
    for (const status of ['ReadyToTransfer', 'Transferring'] as const) {
      for (const ji of this.d.store.queryItems({ statuses: [status] }).items) {
        if (!ji.outputKey || isPresent(ji.outputKey)) continue;
        const job = this.d.store.getJob(ji.jobId);
        if (job) {
          this.requeueMissing(ji, job);
          count++;
        }
      }
    }
    return count;
  }
}
