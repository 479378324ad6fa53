/**
 * `npm run worker`: a BullMQ conversion worker for REDIS_URL (README "Scale-out"). Run it on any machine
 * that sees the media and the sync work directory at the same paths as the server. It never opens the
 * database; the server writes results.
 *
 * Env: REDIS_URL (required), FFMPEG_PATH / FFPROBE_PATH, STOWAWAY_WORKER_CONCURRENCY (default 1),
 * STOWAWAY_WORKER_THREADS (override the server's TranscodingCpuCoreLimit), LOG_LEVEL.
 */
import { startConversionWorker } from './convert/bullmqWorker.js';
import { createLogger } from './logger.js';
import path from 'node:path';
import os from 'node:os';
import { selectToolchain } from './media/toolchain.js';

function intEnv(name: string, min: number, max: number): number | undefined {
  const raw = process.env[name]?.trim();
  if (!raw) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be an integer from ${min} to ${max}, got ${raw}`);
  return n;
}

async function main(): Promise<void> {
  const log = createLogger(process.env.LOG_LEVEL?.trim() || 'info');
  const redisUrl = process.env.REDIS_URL?.trim();
  if (!redisUrl) {
    log.fatal('REDIS_URL is required for a conversion worker');
    process.exit(2);
  }
  // The same self-tested choice as the server's; a worker has no data dir, so its verdicts live in tmp.
  const binaries = await selectToolchain({
    ffmpegPath: process.env.FFMPEG_PATH?.trim() || undefined,
    ffprobePath: process.env.FFPROBE_PATH?.trim() || undefined,
    // As in the server (config.ts): 0 = only FFMPEG_PATH/FFPROBE_PATH, no PATH or npm candidates.
    discover: process.env.STOWAWAY_TOOLCHAIN_DISCOVERY !== '0',
    cacheDir: process.env.STOWAWAY_TOOLCHAIN_CACHE?.trim() || path.join(os.tmpdir(), 'stowaway-toolchain'),
    log,
  });
  const worker = await startConversionWorker({
    redisUrl,
    binaries,
    log,
    concurrency: intEnv('STOWAWAY_WORKER_CONCURRENCY', 1, 64) ?? 1,
    threads: intEnv('STOWAWAY_WORKER_THREADS', 0, 64),
  });
  log.info({ concurrency: worker.worker.concurrency, ffmpeg: binaries.ffmpeg }, 'conversion worker ready');

  let stopping = false;
  const shutdown = (signal: string) => {
    // First signal: let running conversions finish. Second: abandon them (their locks lapse; another
    // worker retries them after the stall interval).
    const force = stopping;
    stopping = true;
    log.info({ signal, force }, force ? 'stopping now' : 'stopping after running conversions (signal again to force)');
    worker
      .close(force)
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        log.error({ err }, 'worker shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
