/**
 * The service worker's handlers around the loop (sw/sync/runScheduler.ts, itemControls.ts,
 * broadcastNotifier.ts, afterRun.ts) over fakes of the ports: one run at a time, the person's pause and
 * removal, throttled progress that never loses its last figure.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { afterRun } from '../../../sw/sync/afterRun';
import { broadcastNotifier, PROGRESS_INTERVAL_MS } from '../../../sw/sync/broadcastNotifier';
import { ItemControls } from '../../../sw/sync/itemControls';
import type { ItemProgress, RunSummary } from '../../../sw/sync/ports';
import { emptySummary } from '../../../sw/sync/runContext';
import { PauseState, RunScheduler } from '../../../sw/sync/runScheduler';
import type { RunOptions } from '../../../sw/sync/syncLoop';
import { SyncLoop } from '../../../sw/sync/syncLoop';
import { aReadyItem, FakeClock, FakeControlStorage, FakeServer, RecordingNotifier, SERVER_ID } from './fakes';

// The loop's own empty summary, finished, with one server visited.
const summary = (over: Partial<RunSummary> = {}): RunSummary => ({ ...emptySummary('test', 0), finishedAt: 1, servers: 1, ...over });

describe('RunScheduler', () => {
  it('never overlaps runs: requests during a run book exactly one more run, and every caller waits for it', async () => {
    const runs: RunOptions[] = [];
    let release!: () => void;
    const first = new Promise<void>((r) => (release = r));
    const scheduler = new RunScheduler({
      pause: new PauseState(),
      pausedAll: async () => false,
      run: async (options) => {
        runs.push(options);
        if (runs.length === 1) await first;
        return summary({ reason: options.reason });
      },
    });
    const a = scheduler.request('app-open');
    const b = scheduler.request('push');
    const c = scheduler.request('user', true);
    release();
    const results = await Promise.all([a, b, c]);
    expect(runs.map((r) => r.reason)).toEqual(['app-open', 'user']);
    expect(runs[1]!.retryQuota).toBe(true);
    expect(results.map((r) => r.reason)).toEqual(['user', 'user', 'user']);
  });

  it('runs without downloads while everything is paused (the stored switch is read before each run)', async () => {
    const runs: RunOptions[] = [];
    const scheduler = new RunScheduler({
      pause: new PauseState(),
      pausedAll: async () => true,
      run: async (options) => (runs.push(options), summary()),
    });
    await scheduler.request('timer');
    expect(runs[0]!.downloads).toBe(false);
  });
});

describe('ItemControls', () => {
  function setup() {
    const server = new FakeServer();
    const storage = new FakeControlStorage();
    const notifier = new RecordingNotifier();
    const pause = new PauseState();
    const requests: string[] = [];
    const controls = new ItemControls({
      storage,
      notifier,
      pause,
      scheduler: { request: async (reason) => (requests.push(reason), summary()) },
      apiFor: () => server,
    });
    return { server, storage, notifier, pause, requests, controls };
  }

  it('removes an item: the server is told first, then the bytes go, and the pages hear of it', async () => {
    const { server, storage, notifier, controls } = setup();
    const movie = aReadyItem('Movie', 5000);
    server.items.push(movie);
    await new SyncLoop({ storage, clock: new FakeClock(), notifier, apiFor: () => server }).run({ reason: 'first' });
    const id = `${SERVER_ID}_${movie.ready.SyncJobItemId}`;

    await controls.remove(id);

    expect(server.calls.at(-1)).toBe('markForRemoval');
    expect(storage.items.has(id)).toBe(false);
    expect(storage.storedBytes()).toBe(0);
    expect(notifier.removed).toEqual([id]);
  });

  it('pauses and resumes one item: the record says so, the pages hear it, resuming asks for a run', async () => {
    const { server, storage, notifier, pause, requests, controls } = setup();
    const movie = aReadyItem('Movie', 5000);
    server.items.push(movie);
    await new SyncLoop({ storage, clock: new FakeClock(), notifier, apiFor: () => server, isPaused: () => true }).run({ reason: 'x' });
    const id = `${SERVER_ID}_${movie.ready.SyncJobItemId}`;

    await controls.pause(id);
    expect(pause.isPaused(id)).toBe(true);
    expect(storage.items.get(id)!.blocked).toBe('user');
    expect(notifier.events.at(-1)).toMatchObject({ id, blocked: 'user' });

    await controls.resume(id);
    expect(pause.isPaused(id)).toBe(false);
    expect(storage.items.get(id)!.blocked).toBeUndefined();
    expect(requests).toEqual(['resume']);
  });

  it('pauses everything across restarts of the worker (kept in storage)', async () => {
    const { storage, pause, controls } = setup();
    await controls.pauseAll();
    expect(pause.isPaused('anything')).toBe(true);
    expect(await storage.pausedAll()).toBe(true);
    await controls.resumeAll();
    expect(await storage.pausedAll()).toBe(false);
  });
});

describe('broadcastNotifier', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const progress = (bytes: number, over: Partial<ItemProgress> = {}): ItemProgress => ({
    id: 'i',
    name: 'Movie',
    step: 'media',
    bytes,
    size: 1000,
    ...over,
  });

  it('sends an item’s bytes at most every interval, and the last figure held back when the interval ends', () => {
    const sent: Array<{ type: string; item?: ItemProgress }> = [];
    const notifier = broadcastNotifier({ postMessage: (m) => sent.push(m as never) }, () => {});
    notifier.progress(progress(10));
    notifier.progress(progress(20));
    notifier.progress(progress(30));
    expect(sent.map((m) => m.item?.bytes)).toEqual([10]);
    vi.advanceTimersByTime(PROGRESS_INTERVAL_MS);
    expect(sent.map((m) => m.item?.bytes)).toEqual([10, 30]);
  });

  it('sends a change of state and completion at once', () => {
    const sent: Array<{ type: string; item?: ItemProgress }> = [];
    const notifier = broadcastNotifier({ postMessage: (m) => sent.push(m as never) }, () => {});
    notifier.progress(progress(10));
    notifier.progress(progress(10, { blocked: 'user' }));
    notifier.progress(progress(1000));
    expect(sent.map((m) => [m.item?.bytes, m.item?.blocked])).toEqual([
      [10, undefined],
      [10, 'user'],
      [1000, undefined],
    ]);
  });
});

describe('afterRun', () => {
  it('keeps the summary, counts downloads on the badge, and asks for a one-off sync only with no network', async () => {
    const storage = new FakeControlStorage();
    const registered: string[] = [];
    const badges: number[] = [];
    const browser = {
      online: () => false,
      registerSync: async (tag: string) => void registered.push(tag),
      setAppBadge: async (n: number) => void badges.push(n),
    };
    await afterRun(summary({ downloaded: 2, offline: true }), storage, browser);
    await afterRun(summary({ downloaded: 1 }), storage, { ...browser, online: () => true });
    expect(storage.lastRun?.downloaded).toBe(1);
    expect(badges).toEqual([2, 3]);
    expect(registered).toEqual(['stowaway-sync']);
  });
});
