/**
 * Scale-out: a batch of four transcodes through the server's BullMQ queue with one worker, then with two
 * (throughput ratio). Workers run in this process — ffmpeg is their child either way, which is what uses
 * the CPU. Needs Redis: STOWAWAY_TEST_REDIS_URL (whose `stowaway-convert` queue is then used: don't point it
 * at a production Redis), else a redis-server of our own on a free loopback port.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { startConversionWorker, type ConversionWorker } from '../src/server/convert/bullmqWorker.js';
import { benchTempDir, startBenchServer } from './harness.js';
import { binaries, makeVideo } from './media.js';
import type { BenchResult } from './report.js';
import { startTestRedis } from '../tests/helpers/redisServer.js';

const BATCH = 4;

export class SkipBench extends Error {}

/** A throwaway Redis (the tests' helper: STOWAWAY_TEST_REDIS_URL, else our own redis-server on a free port). */
async function redis(): Promise<{ url: string; stop: () => Promise<void> }> {
  let hasServer = true;
  try {
    execFileSync('which', ['redis-server'], { stdio: 'ignore' });
  } catch {
    hasServer = false;
  }
  if (!hasServer && !process.env.STOWAWAY_TEST_REDIS_URL) {
    throw new SkipBench('redis-server is not installed and STOWAWAY_TEST_REDIS_URL is not set: BullMQ workers not measured');
  }
  return startTestRedis();
}

export async function runWorkersBench(): Promise<BenchResult[]> {
  const r = await redis();
  const media = benchTempDir('workers-media');
  const workers: ConversionWorker[] = [];
  try {
    // Four different sources: one file four times would collapse into one shared output.
    await Promise.all(
      Array.from({ length: BATCH }, (_, i) =>
        makeVideo(path.join(media, 'Movies', `Batch ${i + 1} (2020).mp4`), {
          seconds: 10,
          video: { codec: 'h264', size: '960x540', fps: 25 },
          audio: { codec: 'aac' },
        }),
      ),
    );
    const srv = await startBenchServer(media, { redisUrl: r.url });
    try {
      const ids = Array.from({ length: BATCH }, (_, i) => srv.ids[`Batch ${i + 1}`]);
      const log = pino({ level: 'silent' });
      const batch = async (count: number): Promise<number> => {
        for (let i = 0; i < count; i++) workers.push(await startConversionWorker({ redisUrl: r.url, binaries: binaries(), log }));
        const job = await srv.syncUntilReady(srv.admin, { ItemIds: ids, Quality: 'custom', Bitrate: 800_000 });
        await srv.cancelJob(srv.admin, job.jobId);
        while (workers.length) await workers.pop()!.close();
        return job.ms;
      };
      // A-B-B-A order: drift (page cache, CPU boost, a noisy neighbour) hits both sides alike.
      const runs = { 1: [] as number[], 2: [] as number[] };
      for (const count of [1, 2, 2, 1] as const) runs[count].push(await batch(count));
      const one = (runs[1][0] + runs[1][1]) / 2;
      const two = (runs[2][0] + runs[2][1]) / 2;
      const threads = srv.built.deps.syncSettings.get().TranscodingCpuCoreLimit;
      return [
        {
          name: `workers: ${BATCH} transcodes, 2 BullMQ workers vs 1 (throughput)`,
          value: Math.round(two),
          unit: 'ms',
          baseline: Math.round(one),
          ratio: Math.round((one / two) * 1000) / 1000,
          target: '> 1',
          met: one / two > 1,
          note: `ratio = throughput(2) ÷ throughput(1), mean of 2 each (1 worker ${runs[1].map(Math.round).join('/')} ms, 2 workers ${runs[2].map(Math.round).join('/')} ms); each ffmpeg with ${threads} thread(s) (TranscodingCpuCoreLimit)`,
        },
      ];
    } finally {
      while (workers.length) await workers.pop()!.close(true);
      await srv.close();
    }
  } finally {
    await r.stop();
    fs.rmSync(media, { recursive: true, force: true });
  }
}
