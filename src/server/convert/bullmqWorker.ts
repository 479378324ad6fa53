/**
 * The worker side of the BullMQ queue: takes conversion jobs, runs ffmpeg, reports progress and returns
 * the result for the server to write. It never opens the database — only the server writes it.
 */
import { Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { MediaBinaries } from '../media/binaries.js';
import {
  CANCEL_CHANNEL,
  CANCELLED_REASON,
  DEFAULT_LOCK_DURATION_MS,
  DEFAULT_MAX_STALLED_COUNT,
  DEFAULT_STALLED_INTERVAL_MS,
  QUEUE_NAME,
  redisConnection,
  type ConvertJobData,
} from './bullmqShared.js';
import { PROGRESS_EMIT_MS } from './conversionQueue.js';
import type { ConversionResult } from './conversionTypes.js';
import { isAbortError } from './ffmpegProcess.js';
import { runConversion, type RunConversionOptions } from './runner.js';

export interface ConversionWorkerOptions {
  redisUrl: string;
  binaries: MediaBinaries;
  log: Logger;
  /** Jobs this process runs at once. */
  concurrency?: number;
  /** Overrides the server's TranscodingCpuCoreLimit carried in each job (a bigger worker machine). */
  threads?: number;
  queueName?: string;
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  maxStalledCount?: number;
  /** Tests swap the runner. */
  run?: (options: RunConversionOptions) => Promise<ConversionResult>;
}

export interface ConversionWorker {
  worker: Worker<ConvertJobData, ConversionResult>;
  /** Graceful: finish running jobs (force: abandon them; their locks lapse and others retry them). */
  close(force?: boolean): Promise<void>;
}

export async function startConversionWorker(o: ConversionWorkerOptions): Promise<ConversionWorker> {
  const run = o.run ?? runConversion;
  const processor = async (
    job: Job<ConvertJobData, ConversionResult>,
    _token?: string,
    signal?: AbortSignal,
  ): Promise<ConversionResult> => {
    let lastReport = 0;
    o.log.info({ key: job.id, attempt: job.attemptsStarted }, 'conversion started');
    try {
      return await run({
        output: job.data,
        binaries: o.binaries,
        threads: o.threads ?? job.data.threads,
        fullSpeed: job.data.fullSpeed,
        signal,
        onProgress: (p) => {
          // Each report is a Redis round trip and a stream event: the server shows ≤ 1 per second anyway.
          const t = Date.now();
          if (p >= 100 || t - lastReport < PROGRESS_EMIT_MS) return;
          lastReport = t;
          job.updateProgress(p).catch((err: unknown) => o.log.debug({ err, key: job.id }, 'progress report failed'));
        },
        log: o.log,
      });
    } catch (err) {
      if (signal?.aborted || isAbortError(err)) throw new Error(CANCELLED_REASON);
      throw err;
    }
  };
  const worker = new Worker<ConvertJobData, ConversionResult>(o.queueName ?? QUEUE_NAME, processor, {
    connection: redisConnection(o.redisUrl),
    concurrency: o.concurrency ?? 1,
    lockDuration: o.lockDurationMs ?? DEFAULT_LOCK_DURATION_MS,
    stalledInterval: o.stalledIntervalMs ?? DEFAULT_STALLED_INTERVAL_MS,
    maxStalledCount: o.maxStalledCount ?? DEFAULT_MAX_STALLED_COUNT,
    autorun: false,
  });
  worker.on('error', (err) => o.log.warn({ err }, 'bullmq worker error'));
  worker.on('failed', (job, err) => {
    if (err.message !== CANCELLED_REASON) o.log.warn({ key: job?.id, err: err.message }, 'conversion failed');
  });

  // Cancellation reaches whichever worker holds the job: BullMQ aborts the processor's signal.
  const subscriber = new Redis(o.redisUrl, { maxRetriesPerRequest: null });
  subscriber.on('error', (err) => o.log.warn({ err }, 'redis subscriber error'));
  subscriber.on('message', (channel: string, key: string) => {
    if (channel === CANCEL_CHANNEL && worker.cancelJob(key, CANCELLED_REASON)) o.log.info({ key }, 'conversion cancelled');
  });
  await subscriber.subscribe(CANCEL_CHANNEL);

  void worker.run();
  await worker.waitUntilReady();
  return {
    worker,
    async close(force = false) {
      subscriber.disconnect();
      await worker.close(force);
    },
  };
}
