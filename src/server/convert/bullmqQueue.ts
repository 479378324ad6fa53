/**
 * The queue with REDIS_URL: conversions become BullMQ jobs (jobId = output key, so duplicates collapse)
 * run by `npm run worker` processes on any machine that sees the same media and work paths. The server
 * stays the only database writer: workers report progress and a result, and this class — listening to
 * QueueEvents — writes `conversion_outputs` and emits the same events as the in-process queue.
 *
 * Owner round-robin is not done here (BullMQ has no fair groups without Pro); priorities are.
 */
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import fs from 'node:fs';
import type { Logger } from 'pino';
import { ConversionEmitter, ProgressThrottle, type ConversionQueue } from './conversionQueue.js';
import type { ConversionResult } from './conversionTypes.js';
import { bullPriority, CANCEL_CHANNEL, CANCELLED_REASON, QUEUE_NAME, redisConnection, type ConvertJobData } from './bullmqShared.js';
import type { OutputRecord, OutputStore } from './outputStore.js';
import type { SyncOptionsSource } from '../sync/syncSettings.js';

export interface BullmqQueueDeps {
  store: OutputStore;
  settings: SyncOptionsSource;
  log: Logger;
  redisUrl: string;
  queueName?: string;
  progressSaveMs?: number;
  progressEmitMs?: number;
  /** How long cancel() waits for a worker to let go of a running job. */
  cancelTimeoutMs?: number;
}

const WAITING_STATES = new Set(['waiting', 'prioritized', 'delayed', 'waiting-children']);

export class BullmqConversionQueue extends ConversionEmitter implements ConversionQueue {
  readonly queue: Queue<ConvertJobData, ConversionResult>;
  private readonly events: QueueEvents;
  private readonly publisher: Redis;
  private readonly throttle: ProgressThrottle;
  /** Keys we are cancelling: their 'failed' event is our doing, not ffmpeg's. */
  private readonly cancelling = new Set<string>();

  constructor(private readonly deps: BullmqQueueDeps) {
    super();
    const name = deps.queueName ?? QUEUE_NAME;
    this.queue = new Queue(name, { connection: redisConnection(deps.redisUrl) });
    this.events = new QueueEvents(name, { connection: redisConnection(deps.redisUrl), autorun: false });
    this.publisher = new Redis(deps.redisUrl, { lazyConnect: true, maxRetriesPerRequest: null });
    this.throttle = new ProgressThrottle(
      (key, p) => deps.store.setProgress(key, p),
      (key, p) => this.emit('progress', { key, progress: p }),
      deps.progressSaveMs,
      deps.progressEmitMs,
    );
    this.queue.on('error', (err: Error) => deps.log.warn({ err }, 'bullmq queue error'));
    this.events.on('error', (err: Error) => deps.log.warn({ err }, 'bullmq events error'));
    this.publisher.on('error', (err) => deps.log.warn({ err }, 'redis publisher error'));
    this.events.on('active', ({ jobId }) => this.onActive(jobId));
    this.events.on('progress', ({ jobId, data }) => {
      if (typeof data === 'number' && data < 100 && this.deps.store.get(jobId)?.status === 'converting') this.throttle.report(jobId, data);
    });
    this.events.on('completed', ({ jobId, returnvalue }) => this.onCompleted(jobId, returnvalue));
    this.events.on('failed', ({ jobId, failedReason }) => this.onFailed(jobId, failedReason));
    this.events.on('stalled', ({ jobId }) => deps.log.warn({ key: jobId }, 'conversion stalled; another worker will take it over'));
  }

  async start(): Promise<void> {
    await this.publisher.connect();
    await this.queue.waitUntilReady();
    // Only events from now on: what happened while we were down is reconciled from job states below.
    void this.events.run();
    await this.events.waitUntilReady();
    const active = new Set((await this.queue.getActive()).map((j) => j.id!).filter(Boolean));
    await this.deps.store.cleanupOrphans({ resetConverting: false, keep: active });
    const rows = [...this.deps.store.listByStatus('converting'), ...this.deps.store.queuedWithReferences()];
    for (const record of rows) await this.reconcile(record, active);
    this.deps.log.info({ reconciled: rows.length, active: active.size }, 'bullmq conversion queue started');
  }

  /** Workers keep working while the server is down; the next start() picks up their results. */
  async stop(): Promise<void> {
    await this.events.close();
    await this.queue.close();
    this.publisher.disconnect();
  }

  async schedule(key: string, priority: number): Promise<void> {
    const record = this.deps.store.get(key);
    if (!record) throw new Error(`no output ${key} to schedule`);
    if (record.status === 'ready' || record.status === 'failed') return;
    if (priority < record.priority) this.deps.store.setPriority(key, priority);
    const effective = Math.min(priority, record.priority);
    const existing = await this.queue.getJob(key);
    if (existing) {
      const state = await existing.getState();
      if (state === 'active') return;
      if (WAITING_STATES.has(state)) {
        if (bullPriority(effective) < (existing.opts.priority ?? Infinity)) {
          await existing.changePriority({ priority: bullPriority(effective) }).catch(() => undefined);
        }
        return;
      }
      // A finished job of an earlier life of this key (released and ensured again): start afresh.
      await existing.remove().catch(() => undefined);
    }
    await this.add({ ...record, priority: effective });
  }

  async cancel(key: string): Promise<void> {
    const job = await this.queue.getJob(key);
    if (!job) return;
    let state = await job.getState();
    if (WAITING_STATES.has(state)) {
      try {
        await job.remove();
        return;
      } catch {
        state = await job.getState(); // taken by a worker meanwhile
      }
    }
    if (state === 'active') {
      this.cancelling.add(key);
      await this.publisher.publish(CANCEL_CHANNEL, key);
      const deadline = Date.now() + (this.deps.cancelTimeoutMs ?? 10_000);
      while ((await job.getState()) === 'active' && Date.now() < deadline) await sleep(50);
    }
    await job.remove().catch((err: unknown) => this.deps.log.warn({ err, key }, 'could not remove cancelled job'));
    const record = this.deps.store.get(key);
    if (record && record.status !== 'ready') this.deps.store.setStatus(key, 'queued');
  }

  private async add(record: OutputRecord): Promise<void> {
    const options = this.deps.settings.get();
    const data: ConvertJobData = {
      ...this.deps.store.jobFor(record),
      threads: options.TranscodingCpuCoreLimit,
      fullSpeed: options.EnableFullSpeedTranscoding,
    };
    await this.queue.add('convert', data, {
      jobId: record.key,
      priority: bullPriority(record.priority),
      // ffmpeg failures are deterministic: no automatic retry (stalls are retried by the worker side).
      attempts: 1,
      // Kept a day so a server that was down when the job finished can still read its result.
      removeOnComplete: { age: 24 * 3600 },
      removeOnFail: { age: 24 * 3600 },
    });
  }

  /** A row after a restart, against what Redis knows about its job. */
  private async reconcile(record: OutputRecord, active: ReadonlySet<string>): Promise<void> {
    const { store } = this.deps;
    const job = await this.queue.getJob(record.key);
    const state = job ? await job.getState() : 'missing';
    if (job && state === 'completed') {
      const result = parseResult(job.returnvalue);
      if (result && fs.existsSync(result.servesSource ? record.sourcePath : store.layout.file(record.key, result.fileName))) {
        return this.applyResult(record.key, result);
      }
    } else if (job && state === 'failed' && !job.failedReason?.includes(CANCELLED_REASON)) {
      return this.onFailed(record.key, job.failedReason ?? 'failed');
    } else if (active.has(record.key) || (job && WAITING_STATES.has(state))) {
      return; // a worker has it, or will
    }
    if (record.status === 'converting') store.setStatus(record.key, 'queued');
    if (store.referenceCount(record.key) > 0) await this.schedule(record.key, record.priority);
  }

  private onActive(key: string): void {
    const record = this.deps.store.get(key);
    if (!record || record.status === 'ready') return;
    this.deps.store.markConverting(key);
    this.emit('started', { key, progress: 0 });
  }

  private onCompleted(key: string, returnvalue: unknown): void {
    const result = parseResult(returnvalue);
    if (!result) return this.onFailed(key, 'worker returned no result');
    this.applyResult(key, result);
  }

  private applyResult(key: string, result: ConversionResult): void {
    this.throttle.flush(key);
    if (!this.deps.store.get(key)) return; // released meanwhile
    this.deps.store.markReady(key, result);
    this.deps.log.info({ key, ms: result.elapsedMs, size: result.size }, 'conversion ready');
    this.emit('progress', { key, progress: 100 });
    this.emit('ready', { key });
  }

  private onFailed(key: string, reason: string): void {
    this.throttle.flush(key);
    const record = this.deps.store.get(key);
    if (!record) return;
    if (this.cancelling.delete(key) || reason.includes(CANCELLED_REASON)) {
      if (record.status !== 'ready') this.deps.store.setStatus(key, 'queued');
      return;
    }
    this.deps.store.markFailed(key, reason);
    this.deps.log.warn({ key, err: reason }, 'conversion failed');
    this.emit('failed', { key, error: reason });
  }
}

function parseResult(value: unknown): ConversionResult | undefined {
  const v = typeof value === 'string' ? safeJson(value) : value;
  return v && typeof v === 'object' && 'sha256' in v && 'fileName' in v ? (v as ConversionResult) : undefined;
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
