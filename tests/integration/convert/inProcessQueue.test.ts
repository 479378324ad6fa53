import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ConversionEvent } from '../../../src/server/convert/conversionQueue.js';
import type { ConversionResult } from '../../../src/server/convert/conversionTypes.js';
import { InProcessQueue, lightLanes } from '../../../src/server/convert/inProcessQueue.js';
import { OutputStore } from '../../../src/server/convert/outputStore.js';
import { runConversion, type RunConversionOptions } from '../../../src/server/convert/runner.js';
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

const log = pino({ level: process.env.TEST_LOG ?? 'silent' });
let clips: Clips;
const queues: InProcessQueue[] = [];

beforeAll(async () => {
  clips = await makeClips({ hevcMkv: false, flac: false, directMp4: false });
});

afterEach(async () => {
  await Promise.all(queues.splice(0).map((q) => q.stop()));
});

// One core unless a test says otherwise: the ordering tests are about slots, not light lanes per core.
function setup(run?: (o: RunConversionOptions) => Promise<ConversionResult>, cores = 1) {
  const dir = tempDir();
  const db = testDb(dir);
  const store = new OutputStore(db, path.join(dir, 'sync'), log);
  const settings = new SyncSettings(new SettingsRepo(db), dir);
  const runs: string[] = [];
  const counted = (o: RunConversionOptions) => {
    runs.push(o.output.key);
    return (run ?? runConversion)(o);
  };
  const queue = new InProcessQueue({ store, binaries, settings, log, run: counted, progressEmitMs: 0, cores });
  queues.push(queue);
  const events: Array<{ type: string } & ConversionEvent> = [];
  for (const type of ['started', 'progress', 'ready', 'failed'] as const) queue.on(type, (e) => events.push({ type, ...e }));
  return { dir, db, store, settings, queue, runs, events };
}

function ensureFor(store: OutputStore, source: string, plan: ConversionPlan, extra: { priority?: number; owner?: string } = {}) {
  const st = fs.statSync(source);
  const key = store.contentKey({ path: source, size: st.size, mtimeMs: st.mtimeMs }, plan);
  return store.ensure({ key, itemId: 'i1', sourcePath: source, plan, priority: extra.priority ?? 10, ownerUserId: extra.owner ?? 'u1' });
}

function next(queue: InProcessQueue, type: 'ready' | 'failed' | 'started' | 'progress', key?: string): Promise<ConversionEvent> {
  return new Promise((resolve) => {
    const on = (e: ConversionEvent) => {
      if (key && e.key !== key) return;
      queue.off(type, on);
      resolve(e);
    };
    queue.on(type, on);
  });
}

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const fakeResult = (fileName: string): ConversionResult => ({
  fileName,
  size: 1,
  sha256: 'x',
  mediaSource: {
    Id: 'x',
    Protocol: 'File',
    Type: 'Default',
    IsRemote: false,
    SupportsTranscoding: false,
    SupportsDirectStream: true,
    SupportsDirectPlay: true,
    RequiresOpening: false,
    MediaStreams: [],
  },
  subtitleFiles: [],
  servesSource: false,
  elapsedMs: 0,
});

describe('InProcessQueue with real ffmpeg', () => {
  it('converts an output once however many job items share it, and reports progress rising to 100', async () => {
    const { db, store, queue, runs, events } = setup();
    const a = ensureFor(store, clips.h264Ac3Mkv, aRemuxPlan());
    const b = ensureFor(store, clips.h264Ac3Mkv, aRemuxPlan({ reasons: ['other device, same profile'] }));
    expect(b.key).toBe(a.key);
    addJobItem(db, a.key, 'Queued', 'jobA');
    addJobItem(db, a.key, 'Queued', 'jobB');
    await queue.start();
    const ready = next(queue, 'ready', a.key);
    await queue.schedule(a.key, 10);
    await queue.schedule(b.key, 5);
    await ready;
    await queue.schedule(a.key, 1); // ready: nothing to do

    expect(runs).toEqual([a.key]);
    const rec = store.get(a.key)!;
    expect(rec).toMatchObject({ status: 'ready', progress: 100, attempts: 1, fileName: 'Movie One.mp4', priority: 5 });
    expect(rec.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(fs.statSync(store.filePath(a.key)).size).toBe(rec.size);
    expect(store.verifyPresent(a.key)).toBe(true);

    const progress = events.filter((e) => e.type === 'progress').map((e) => e.progress!);
    expect(progress.at(-1)).toBe(100);
    expect(progress).toEqual([...progress].sort((x, y) => x - y));
    expect(events.map((e) => e.type).filter((t) => t !== 'progress')).toEqual(['started', 'ready']);

    // The last reference gone: the sync core releases, files and row go.
    expect(await store.release(a.key)).toBe(false);
    db.prepare(`UPDATE sync_job_items SET status = 'Cancelled'`).run();
    expect(store.referenceCount(a.key)).toBe(0);
    expect(await store.release(a.key)).toBe(true);
    expect(store.get(a.key)).toBeUndefined();
    expect(fs.existsSync(store.layout.dir(a.key))).toBe(false);
  });

  it('marks a corrupt source failed with a plain reason and the stderr tail, and keeps it failed until retry', async () => {
    const { db, store, queue, runs } = setup();
    const rec = ensureFor(store, clips.corruptMkv, aRemuxPlan());
    addJobItem(db, rec.key);
    await queue.start();
    const failed = next(queue, 'failed', rec.key);
    await queue.schedule(rec.key, 1);
    const e = await failed;
    expect(e.error).toMatch(/^the file is not media ffmpeg can read \(Invalid data found\)\nffmpeg exited with code \d+:\n.+/s);
    expect(store.get(rec.key)).toMatchObject({ status: 'failed', errorMessage: e.error });

    expect(store.ensure({ key: rec.key, itemId: 'i1', sourcePath: clips.corruptMkv, plan: aRemuxPlan(), priority: 1 }).status).toBe(
      'failed',
    );
    await queue.schedule(rec.key, 1);
    expect(runs).toHaveLength(1);
    expect(store.retry(rec.key)).toBe(true);
    const again = next(queue, 'failed', rec.key);
    await queue.schedule(rec.key, 1);
    await again;
    expect(runs).toHaveLength(2);
    expect(store.get(rec.key)!.attempts).toBe(2);
  });

  it('cancel stops a running conversion, deletes its partial file and puts the row back to queued', async () => {
    const { db, store, queue } = setup();
    const plan = aTranscodePlan({ video: aVideoEncode({ codec: 'hevc', width: 640, height: 360 }) });
    const rec = ensureFor(store, clips.longMkv, plan);
    addJobItem(db, rec.key);
    await queue.start();
    const progressed = next(queue, 'progress', rec.key);
    await queue.schedule(rec.key, 1);
    await progressed;
    const t0 = Date.now();
    await queue.cancel(rec.key);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(store.get(rec.key)).toMatchObject({ status: 'queued', progress: 0 });
    expect(fs.readdirSync(store.layout.dir(rec.key))).toEqual([]);
  });

  it('recovers after a restart: converting rows are queued and run again, partial files and orphan dirs go', async () => {
    const { db, store, queue, runs } = setup();
    const rec = ensureFor(store, clips.h264Ac3Mkv, aRemuxPlan());
    addJobItem(db, rec.key, 'Converting');
    store.markConverting(rec.key);
    const dir = store.layout.dir(rec.key);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'Movie One.partial-deadbeef.mp4'), 'half a file');
    const orphan = path.join(store.workDir, 'ab'.repeat(32));
    fs.mkdirSync(orphan);
    fs.writeFileSync(path.join(orphan, 'x.mp4'), 'x');
    const unrelated = path.join(store.workDir, 'not-an-output');
    fs.mkdirSync(unrelated);
    // Queued but nobody references it any more: not rebuilt into the queue.
    const unwanted = ensureFor(store, clips.h264Ac3Mkv, aRemuxPlan({ container: 'mkv' }));

    const ready = next(queue, 'ready', rec.key);
    await queue.start();
    await ready;
    expect(runs).toEqual([rec.key]);
    expect(fs.readdirSync(dir).sort()).toEqual(['Movie One.mp4', 'blocks-4194304.sha256']);
    expect(fs.existsSync(orphan)).toBe(false);
    expect(fs.existsSync(unrelated)).toBe(true);
    expect(store.get(unwanted.key)!.status).toBe('queued');
    // The media file and its block digests (one 4 MiB block: 32 bytes).
    expect(await store.diskUsage()).toMatchObject({ outputs: 1, files: 2, bytes: store.get(rec.key)!.size! + 32 });
  });
});

describe('InProcessQueue ordering', () => {
  it('runs the most urgent first, then round-robins between users of equal priority', async () => {
    const gates = new Map<string, ReturnType<typeof deferred<void>>>();
    const { db, store, queue, runs } = setup(async (o) => {
      const gate = deferred<void>();
      gates.set(o.output.key, gate);
      await gate.promise;
      return fakeResult(o.output.fileName);
    });
    const keys: Record<string, string> = {};
    const order = ['a1', 'a2', 'a3', 'b1', 'b2', 'c1'];
    const add = (name: string, owner: string, priority: number) => {
      const rec = ensureFor(
        store,
        clips.h264Ac3Mkv,
        aRemuxPlan({
          audio: [{ streamIndex: 1, action: 'encode', codec: 'aac', bitrate: 64_000 + 1000 * order.indexOf(name), channels: 2 }],
        }),
        { owner, priority },
      );
      keys[rec.key] = name;
      addJobItem(db, rec.key);
      return rec.key;
    };
    const all = order.map((n) => add(n, n[0]!, n === 'c1' ? 1 : 10));
    for (const k of all) await queue.schedule(k, store.get(k)!.priority);
    await queue.start();
    for (let i = 0; i < all.length; i++) {
      // Wait for the i-th run to have started (under load it may take longer than any fixed sleep), then end it.
      await vi.waitFor(() => expect(gates.has(runs[i] ?? '')).toBe(true), { timeout: 15_000, interval: 5 });
      gates.get(runs[i]!)!.resolve();
    }
    expect(runs.map((k) => keys[k])).toEqual(['c1', 'a1', 'b1', 'a2', 'b2', 'a3']);
  });

  it('applies a higher MaxConcurrentConversions without a restart', async () => {
    const gate = deferred<void>();
    const { db, store, queue, settings, runs } = setup(async (o) => {
      await gate.promise;
      return fakeResult(o.output.fileName);
    });
    const k1 = ensureFor(store, clips.h264Ac3Mkv, aRemuxPlan()).key;
    const k2 = ensureFor(store, clips.h264Ac3Mkv, aRemuxPlan({ container: 'mkv' })).key;
    addJobItem(db, k1);
    addJobItem(db, k2);
    await queue.start();
    await queue.schedule(k1, 1);
    await queue.schedule(k2, 1);
    expect(queue.snapshot()).toEqual({ running: [k1], pending: [k2] });
    settings.update({ MaxConcurrentConversions: 2 });
    expect(queue.snapshot()).toEqual({ running: [k1, k2], pending: [] });
    expect(runs).toEqual([k1, k2]);
    gate.resolve();
  });
  it('runs one remux beside a running transcode, but never a second transcode or a second extra remux', async () => {
    const gate = deferred<void>();
    const { db, store, queue, runs } = setup(async (o) => {
      await gate.promise;
      return fakeResult(o.output.fileName);
    });
    const transcode = (n: number) =>
      ensureFor(store, clips.h264Ac3Mkv, aTranscodePlan({ video: aVideoEncode({ width: 100 + 2 * n }) })).key;
    const remux = (container: string) => ensureFor(store, clips.h264Ac3Mkv, aRemuxPlan({ container })).key;
    const t1 = transcode(1);
    const t2 = transcode(2);
    const r1 = remux('mp4');
    const r2 = remux('mkv');
    for (const k of [t1, t2, r1, r2]) addJobItem(db, k);
    await queue.start();
    for (const k of [t1, t2, r1, r2]) await queue.schedule(k, 1);
    expect(queue.snapshot()).toEqual({ running: [t1, r1], pending: [t2, r2] });
    expect(runs).toEqual([t1, r1]);
    gate.resolve();
  });
  it('runs light work one per core when no transcode runs, and only one beside a transcode', async () => {
    const gates = new Map<string, ReturnType<typeof deferred<void>>>();
    const { db, store, queue, runs } = setup(async (o) => {
      const gate = deferred<void>();
      gates.set(o.output.key, gate);
      await gate.promise;
      return fakeResult(o.output.fileName);
    }, 2);
    const remux = (bitrate: number) =>
      ensureFor(store, clips.h264Ac3Mkv, aRemuxPlan({ audio: [{ streamIndex: 1, action: 'encode', codec: 'aac', bitrate, channels: 2 }] }))
        .key;
    const r = [remux(64_000), remux(96_000), remux(128_000)];
    const t = ensureFor(store, clips.h264Ac3Mkv, aTranscodePlan({ video: aVideoEncode({ width: 130 }) }), { priority: 5 }).key;
    for (const k of r) addJobItem(db, k);
    await queue.start();
    for (const k of r) await queue.schedule(k, 10);
    // Two cores: two remuxes at once, the third waits for a core.
    expect(queue.snapshot()).toEqual({ running: [r[0], r[1]], pending: [r[2]] });
    // A more urgent transcode takes the slot once it is free; beside it, one remux only.
    addJobItem(db, t);
    await queue.schedule(t, 5);
    const transcodeStarted = next(queue, 'started', t);
    gates.get(r[0]!)!.resolve();
    gates.get(r[1]!)!.resolve();
    await transcodeStarted;
    await vi.waitFor(() => expect(queue.snapshot().running).toEqual([t, r[2]]));
    expect(runs).toEqual([r[0], r[1], t, r[2]]);
    gates.get(t)!.resolve();
    gates.get(r[2]!)!.resolve();
  });

  it('lightLanes: one beside a transcode, one per core otherwise', () => {
    expect(lightLanes(true, 8)).toBe(1);
    expect(lightLanes(false, 2)).toBe(2);
    expect(lightLanes(false, 0)).toBe(1);
  });

  it('starts the next conversion while the last one only hashes and probes its output', async () => {
    const tail = deferred<void>();
    const { db, store, queue, runs } = setup(async (o) => {
      if (runs.length === 1) {
        o.onHeavyWorkDone?.();
        await tail.promise;
      }
      return fakeResult(o.output.fileName);
    });
    const t1 = ensureFor(store, clips.h264Ac3Mkv, aTranscodePlan({ video: aVideoEncode({ width: 120 }) })).key;
    const t2 = ensureFor(store, clips.h264Ac3Mkv, aTranscodePlan({ video: aVideoEncode({ width: 122 }) })).key;
    for (const k of [t1, t2]) addJobItem(db, k);
    const secondReady = next(queue, 'ready', t2);
    // Both are rebuilt from their job items at start; the first holds the only slot until ffmpeg is done.
    await queue.start();
    try {
      await secondReady;
      expect(runs).toEqual([t1, t2]);
      expect(store.get(t1)!.status).toBe('converting');
    } finally {
      tail.resolve();
    }
  });
});
