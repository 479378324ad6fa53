import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BullmqConversionQueue } from '../../../src/server/convert/bullmqQueue.js';
import { startConversionWorker, type ConversionWorker } from '../../../src/server/convert/bullmqWorker.js';
import type { ConversionEvent } from '../../../src/server/convert/conversionQueue.js';
import { isPartialName } from '../../../src/server/convert/outputLayout.js';
import { OutputStore } from '../../../src/server/convert/outputStore.js';
import { hashFile, runConversion, type RunConversionOptions } from '../../../src/server/convert/runner.js';
import { SyncSettings } from '../../../src/server/sync/syncSettings.js';
import { SettingsRepo } from '../../../src/server/system/settingsRepo.js';
import type { ConversionPlan } from '../../../src/shared/profile/decision.js';
import {
  addJobItem,
  aRemuxPlan,
  aTranscodePlan,
  aVideoEncode,
  binaries,
  makeClips,
  tempDir,
  testDb,
  type Clips,
} from '../../helpers/convertMedia.js';
import { startTestRedis, type TestRedis } from '../../helpers/redisServer.js';

const hasRedis =
  !!process.env.STOWAWAY_TEST_REDIS_URL ||
  (() => {
    try {
      execFileSync('which', ['redis-server'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

const log = pino({ level: process.env.TEST_LOG ?? 'silent' });
let clips: Clips;
let redis: TestRedis;
let queueN = 0;

beforeAll(async () => {
  // Never a silent skip: the queue tests need redis-server (.ci/run installs it).
  if (!hasRedis) throw new Error('redis-server is not installed and STOWAWAY_TEST_REDIS_URL is not set: apt-get install redis-server');
  [clips, redis] = await Promise.all([makeClips({ hevcMkv: false, flac: false, directMp4: false, corruptMkv: false }), startTestRedis()]);
});

afterAll(async () => {
  await redis?.stop();
});

function setup() {
  const dir = tempDir();
  const db = testDb(dir);
  const store = new OutputStore(db, path.join(dir, 'sync'), log);
  const settings = new SyncSettings(new SettingsRepo(db), dir);
  // A queue name per test keeps tests independent on one Redis.
  const queueName = `stowaway-convert-test-${++queueN}-${process.pid}`;
  const queue = new BullmqConversionQueue({ store, settings, log, redisUrl: redis.url, queueName, progressEmitMs: 0 });
  const events: Array<{ type: string } & ConversionEvent> = [];
  for (const type of ['started', 'progress', 'ready', 'failed'] as const) queue.on(type, (e) => events.push({ type, ...e }));
  return { dir, db, store, queue, queueName, events };
}

function ensure(store: OutputStore, db: ReturnType<typeof testDb>, source: string, plan: ConversionPlan) {
  const st = fs.statSync(source);
  const key = store.contentKey({ path: source, size: st.size, mtimeMs: st.mtimeMs }, plan);
  store.ensure({ key, itemId: 'i1', sourcePath: source, plan, priority: 10, ownerUserId: 'u1' });
  addJobItem(db, key);
  return key;
}

function waitFor(queue: BullmqConversionQueue, type: 'ready' | 'failed' | 'started' | 'progress', keys: string[]): Promise<void> {
  const left = new Set(keys);
  return new Promise((resolve) => {
    const on = (e: ConversionEvent) => {
      left.delete(e.key);
      if (left.size === 0) {
        queue.off(type, on);
        resolve();
      }
    };
    queue.on(type, on);
  });
}

const fast = { lockDurationMs: 1500, stalledIntervalMs: 500 };

describe('BullMQ queue with real Redis and ffmpeg', () => {
  it('two workers share a batch; the server writes every result and collapses duplicate schedules', async () => {
    const { db, store, queue, queueName, events } = setup();
    const workers: ConversionWorker[] = [];
    const byWorker = new Map<string, number>();
    try {
      for (const name of ['w1', 'w2']) {
        const w = await startConversionWorker({ redisUrl: redis.url, binaries, log, queueName, ...fast });
        w.worker.on('completed', () => byWorker.set(name, (byWorker.get(name) ?? 0) + 1));
        workers.push(w);
      }
      await queue.start();
      const keys = [64_000, 96_000, 128_000, 160_000].map((bitrate) =>
        ensure(
          store,
          db,
          clips.h264Ac3Mkv,
          aTranscodePlan({ audio: [{ streamIndex: 1, action: 'encode', codec: 'aac', bitrate, channels: 2 }] }),
        ),
      );
      const ready = waitFor(queue, 'ready', keys);
      for (const k of keys) await queue.schedule(k, 10);
      for (const k of keys) await queue.schedule(k, 5); // collapses onto the same BullMQ job
      await ready;

      for (const k of keys) {
        const rec = store.get(k)!;
        expect(rec.status).toBe('ready');
        expect(rec.sha256).toBe((await hashFile(store.filePath(k))).sha256);
        expect(rec.mediaSource?.MediaStreams.map((s) => s.Codec)).toEqual(['h264', 'aac']);
      }
      expect(events.filter((e) => e.type === 'started')).toHaveLength(4);
      expect([...byWorker.values()].reduce((a, b) => a + b, 0)).toBe(4);
      expect(byWorker.size).toBe(2);
    } finally {
      await Promise.all(workers.map((w) => w.close(true)));
      await queue.stop();
    }
  });

  it('a worker that dies mid-job loses it to another worker, which finishes it', async () => {
    const { db, store, queue, queueName } = setup();
    const crash = new AbortController();
    let startedOnA!: () => void;
    const aStarted = new Promise<void>((r) => (startedOnA = r));
    // Worker A: real ffmpeg, but "the machine dies" when the test says so (no lock renewals, ffmpeg killed).
    const a = await startConversionWorker({
      redisUrl: redis.url,
      binaries,
      log,
      queueName,
      ...fast,
      run: (o: RunConversionOptions) => {
        startedOnA();
        return runConversion({ ...o, signal: crash.signal });
      },
    });
    let b: ConversionWorker | undefined;
    try {
      await queue.start();
      const key = ensure(store, db, clips.longMkv, aTranscodePlan({ video: aVideoEncode({ width: 640, height: 360 }) }));
      const ready = waitFor(queue, 'ready', [key]);
      await queue.schedule(key, 1);
      await aStarted;
      await a.close(true);
      crash.abort();
      b = await startConversionWorker({ redisUrl: redis.url, binaries, log, queueName, ...fast });
      await ready;
      const rec = store.get(key)!;
      expect(rec.status).toBe('ready');
      expect(rec.attempts).toBe(2);
      expect(rec.sha256).toBe((await hashFile(store.filePath(key))).sha256);
      expect(fs.readdirSync(store.layout.dir(key)).filter(isPartialName)).toEqual([]);
    } finally {
      await a.close(true);
      await b?.close(true);
      await queue.stop();
    }
  });

  it('cancel reaches the worker running the job: ffmpeg stops, no partial file, no failure event', async () => {
    const { db, store, queue, queueName, events } = setup();
    const w = await startConversionWorker({ redisUrl: redis.url, binaries, log, queueName, ...fast });
    try {
      await queue.start();
      const key = ensure(store, db, clips.longMkv, aTranscodePlan({ video: aVideoEncode({ codec: 'hevc', width: 640, height: 360 }) }));
      const progressed = waitFor(queue, 'progress', [key]);
      await queue.schedule(key, 1);
      await progressed;
      const t0 = Date.now();
      await queue.cancel(key);
      const ms = Date.now() - t0;
      expect(ms).toBeLessThan(2000);
      expect(store.get(key)).toMatchObject({ status: 'queued' });
      expect(fs.readdirSync(store.layout.dir(key))).toEqual([]);
      await new Promise((r) => setTimeout(r, 200));
      expect(events.filter((e) => e.type === 'failed')).toEqual([]);
      // The cancelled job is gone from Redis, and the worker carries on with the next one.
      const quick = ensure(store, db, clips.h264Ac3Mkv, aRemuxPlan());
      const quickReady = waitFor(queue, 'ready', [quick]);
      await queue.schedule(quick, 0);
      await quickReady;
      expect(await queue.queue.getJob(key)).toBeUndefined();
    } finally {
      await w.close(true);
      await queue.stop();
    }
  });
});
