/**
 * The sync loop's state machine (sw/sync/syncLoop.ts) over fakes of its ports: what it asks the server,
 * in which order, what it keeps on the device, and how it resumes after being cut anywhere.
 */
import { describe, expect, it } from 'vitest';
import type { ServerRow } from '../../../sw/db';
import { QUOTA_MESSAGE, SyncLoop } from '../../../sw/sync/syncLoop';
import { ApiFailure, type ApiPort, type ItemProgress, type Notifier } from '../../../sw/sync/ports';
import { aReadyItem, DEVICE, FakeClock, FakeServer, FakeStorage, RecordingNotifier, SERVER_ID, sha256Hex, USER_ID } from './fakes';

const CHUNK = 4096;

function setup(
  opts: {
    apiFor?: (s: ServerRow) => ApiPort;
    notifier?: Notifier;
    isPaused?: (id: string) => boolean;
    watched?: () => Promise<boolean>;
  } = {},
) {
  const server = new FakeServer();
  const storage = new FakeStorage();
  const clock = new FakeClock();
  const notifier = opts.notifier ?? new RecordingNotifier();
  const loop = new SyncLoop({
    storage,
    clock,
    notifier,
    apiFor: opts.apiFor ?? (() => server),
    isPaused: opts.isPaused,
    watched: opts.watched,
  });
  return { server, storage, clock, notifier, loop };
}

function localOf(storage: FakeStorage, jobItemId: string) {
  return [...storage.items.values()].find((i) => i.SyncJobItemId === jobItemId);
}

/** Runs the loop with the connection dropping once `chunks` whole chunks of `movie` are through. */
async function cutAfterChunks(
  server: FakeServer,
  storage: FakeStorage,
  loop: SyncLoop,
  movie: ReturnType<typeof aReadyItem>,
  chunks: number,
) {
  storage.settingsValue.retries = 1;
  const fetchFile = server.fetchFile.bind(server);
  server.fetchFile = async (...args) => {
    const res = await fetchFile(...args);
    if (args[1] < chunks * CHUNK) return res;
    server.unreachable = true;
    return { ...res, blob: () => Promise.reject(new TypeError('network gone')) };
  };
  await loop.run({ reason: 'cut' });
  server.unreachable = false;
  server.fetchFile = fetchFile;
  expect(localOf(storage, movie.ready.SyncJobItemId)?.step).toBe('media');
}

describe('a run of the sync loop', () => {
  it('downloads a ready item in chunks, checks its SHA-256, stores poster and subtitles, then sends Transferred and Sync/Data', async () => {
    const { server, storage, loop } = setup();
    const movie = aReadyItem('Movie', 3 * CHUNK + 100, {
      ImageTags: { Primary: 'tag' },
      MediaSources: [{ MediaStreams: [{ Type: 'Subtitle', Index: 3 }] } as never],
    });
    movie.ready.AdditionalFiles = [
      { Type: 'Subtitles', Name: 'a.vtt', Index: 3 },
      { Type: 'Subtitles', Name: 'orphan.vtt', Index: 9 },
    ];
    server.items.push(movie);

    const summary = await loop.run({ reason: 'test' });

    expect(summary).toMatchObject({
      downloaded: 1,
      errors: [],
      quotaExceeded: false,
      offline: false,
      mediaBytes: 3 * CHUNK + 100,
    });
    const local = localOf(storage, movie.ready.SyncJobItemId)!;
    expect(local).toMatchObject({
      step: 'synced',
      bytes: movie.file.length,
      nextChunk: 4,
      size: movie.file.length,
    });
    expect(storage.chunksOf(local.FileId).map((c) => c.length)).toEqual([CHUNK, CHUNK, CHUNK, 100]);
    expect(sha256Hex(storage.fileOf(local.FileId))).toBe(movie.ready.Sha256);
    expect(local.Subtitles.map((s) => s.Name)).toEqual(['a.vtt']);
    expect([...storage.cached.keys()].sort()).toEqual(
      [`/offline/images/${SERVER_ID}/${movie.ready.Item.Id}/Primary`, `/offline/subtitles/${local.Id}/a.vtt`].sort(),
    );
    expect(movie.status).toBe('Synced');
    // API.md §7 order: Data (what we hold) → Ready → File… → Transferred → Data again.
    const order = server.calls.filter((c) => c !== 'file' && c !== 'image' && c !== 'additional');
    expect(order).toEqual(['offlineUser', 'syncData', 'ready', 'blocks', 'transferred', 'syncData']);
    expect(local.verifiedBy).toBe('blocks');
  });

  it('reports media bytes as they arrive, between stored chunks, never more than the file and never going back', async () => {
    const { server, notifier, loop } = setup();
    const movie = aReadyItem('Movie', 3 * CHUNK + 100);
    server.items.push(movie);

    await loop.run({ reason: 'test' });

    const bytes = (notifier as RecordingNotifier).events.filter((e) => e.step === 'media').map((e) => e.bytes);
    // The fake server delivers 1000-byte pieces: progress between chunk boundaries proves it moved per piece.
    expect(bytes.some((b) => b % CHUNK !== 0 && b !== movie.file.length)).toBe(true);
    expect(Math.max(...bytes)).toBeLessThanOrEqual(movie.file.length);
    expect(bytes).toEqual([...bytes].sort((a, b) => a - b));
  });

  it('takes chunks whole, reporting per stored chunk, while no page looks at the progress (the faster path)', async () => {
    const { server, notifier, loop } = setup({ watched: async () => false });
    const movie = aReadyItem('Movie', 3 * CHUNK + 100);
    server.items.push(movie);

    await loop.run({ reason: 'test' });

    const bytes = (notifier as RecordingNotifier).events.filter((e) => e.step === 'media').map((e) => e.bytes);
    expect(bytes.every((b) => b % CHUNK === 0 || b === movie.file.length)).toBe(true);
    expect(bytes).toContain(2 * CHUNK);
  });

  it('does nothing more on a second run: a stored item is neither downloaded nor acknowledged again', async () => {
    const { server, loop } = setup();
    server.items.push(aReadyItem('Movie', 5000));
    await loop.run({ reason: 'first' });
    server.calls = [];
    const summary = await loop.run({ reason: 'second' });
    expect(summary.downloaded).toBe(0);
    expect(server.calls).toEqual(['offlineUser', 'syncData', 'ready', 'syncData']);
  });

  it('resumes a download cut mid-file from the last whole chunk, re-sending at most one chunk', async () => {
    const { server, storage, loop } = setup();
    const movie = aReadyItem('Movie', 10 * CHUNK + 7);
    server.items.push(movie);
    storage.settingsValue.retries = 1;
    // The connection drops 40 % into the file, in the middle of a chunk.
    const cutAt = Math.floor(movie.file.length * 0.4);
    let served = 0;
    const fetchFile = server.fetchFile.bind(server);
    server.fetchFile = async (...args) => {
      const res = await fetchFile(...args);
      const length = Number(args[2]) - Number(args[1]) + 1;
      served += length;
      if (served > cutAt) {
        server.unreachable = true;
        return {
          ...res,
          body: new ReadableStream({
            pull: (c) => c.error(new TypeError('network gone')),
          }),
          blob: () => Promise.reject(new TypeError('network gone')),
        };
      }
      return res;
    };

    const first = await loop.run({ reason: 'cut' });
    expect(first).toMatchObject({ downloaded: 0, offline: true });
    const partial = localOf(storage, movie.ready.SyncJobItemId)!;
    expect(partial).toMatchObject({ step: 'media', blocked: 'error' });
    expect(partial.bytes).toBe(Math.floor(cutAt / CHUNK) * CHUNK);
    expect(partial.verifiedBy).toBe('blocks'); // each stored chunk already checked: nothing to carry over

    server.unreachable = false;
    server.fetchFile = fetchFile;
    server.bytesServed.clear();
    const second = await loop.run({ reason: 'online' });
    expect(second.downloaded).toBe(1);
    const resent = partial.bytes + (server.bytesServed.get(movie.ready.SyncJobItemId) ?? 0) - movie.file.length;
    expect(resent).toBe(0); // ranged per chunk: nothing stored is asked for twice
    expect(sha256Hex(storage.fileOf(partial.FileId))).toBe(movie.ready.Sha256);
  });

  it.each([
    ['written by the earlier pure-TypeScript hasher', { h: [1, 2, 3, 4, 5, 6, 7, 8] }],
    ['that hash-wasm refuses to load', { state: new Uint8Array([1, 2, 3]) }],
    ['missing', undefined],
  ])(
    'without block digests, resumes with a saved hash state %s by hashing the stored chunks again, not downloading them',
    async (_why, state) => {
      const { server, storage, loop } = setup();
      server.offersBlocks = false;
      const movie = aReadyItem('Movie', 6 * CHUNK + 10);
      server.items.push(movie);
      await cutAfterChunks(server, storage, loop, movie, 3);
      const partial = localOf(storage, movie.ready.SyncJobItemId)!;
      expect(partial.bytes).toBe(3 * CHUNK);
      await storage.putItem({ ...partial, hash: state === undefined ? undefined : { length: partial.bytes, ...state } });
      server.bytesServed.clear();
      storage.chunkReads = 0;

      expect((await loop.run({ reason: 'online' })).downloaded).toBe(1);
      expect(storage.chunkReads).toBe(3);
      expect(server.bytesServed.get(movie.ready.SyncJobItemId)).toBe(movie.file.length - 3 * CHUNK);
      expect(sha256Hex(storage.fileOf(partial.FileId))).toBe(movie.ready.Sha256);
    },
  );

  it('without block digests, starts over from byte 0 when the hash state cannot be loaded and a stored chunk has gone', async () => {
    const { server, storage, loop } = setup();
    server.offersBlocks = false;
    const movie = aReadyItem('Movie', 6 * CHUNK + 10);
    server.items.push(movie);
    await cutAfterChunks(server, storage, loop, movie, 3);
    const partial = localOf(storage, movie.ready.SyncJobItemId)!;
    await storage.putItem({ ...partial, hash: { length: partial.bytes, h: [0] } });
    storage.chunks.delete(`${partial.FileId}#1`);
    server.bytesServed.clear();

    expect((await loop.run({ reason: 'online' })).downloaded).toBe(1);
    expect(server.bytesServed.get(movie.ready.SyncJobItemId)).toBe(movie.file.length);
    expect(sha256Hex(storage.fileOf(partial.FileId))).toBe(movie.ready.Sha256);
  });

  it('fetches again only the chunk that arrived corrupted, not the file', async () => {
    const { server, storage, loop } = setup();
    const movie = aReadyItem('Movie', 5 * CHUNK + 10);
    server.items.push(movie);
    server.corrupt = { jobItemId: movie.ready.SyncJobItemId, from: 2 * CHUNK, times: 1 };

    expect((await loop.run({ reason: 'test' })).downloaded).toBe(1);
    // The bad chunk again, plus the next one, which was already on its way when the check failed.
    expect(server.bytesServed.get(movie.ready.SyncJobItemId)).toBe(movie.file.length + 2 * CHUNK);
    expect(sha256Hex(storage.fileOf(localOf(storage, movie.ready.SyncJobItemId)!.FileId))).toBe(movie.ready.Sha256);
  });

  it('gives up on a chunk that keeps arriving corrupted, keeping the checked chunks before it', async () => {
    const { server, storage, loop } = setup();
    const movie = aReadyItem('Movie', 5 * CHUNK + 10);
    server.items.push(movie);
    server.corrupt = { jobItemId: movie.ready.SyncJobItemId, from: 3 * CHUNK, times: 1000 };

    const summary = await loop.run({ reason: 'test' });
    expect(summary.downloaded).toBe(0);
    expect(summary.errors.join()).toContain('chunk 3');
    expect(localOf(storage, movie.ready.SyncJobItemId)).toMatchObject({ step: 'media', blocked: 'error', bytes: 3 * CHUNK });

    server.corrupt = undefined;
    server.bytesServed.clear();
    expect((await loop.run({ reason: 'again', retryQuota: true })).downloaded).toBe(1);
    expect(server.bytesServed.get(movie.ready.SyncJobItemId)).toBe(movie.file.length - 3 * CHUNK);
  });

  it('checks chunks stored under whole-file hashing block by block once the server offers digests, and keeps them', async () => {
    const { server, storage, loop } = setup();
    const movie = aReadyItem('Movie', 6 * CHUNK + 10);
    server.items.push(movie);
    server.offersBlocks = false;
    await cutAfterChunks(server, storage, loop, movie, 3);
    expect(localOf(storage, movie.ready.SyncJobItemId)).toMatchObject({ verifiedBy: 'stream', bytes: 3 * CHUNK });
    server.offersBlocks = true;
    server.bytesServed.clear();
    storage.chunkReads = 0;

    expect((await loop.run({ reason: 'online' })).downloaded).toBe(1);
    expect(storage.chunkReads).toBe(3);
    expect(server.bytesServed.get(movie.ready.SyncJobItemId)).toBe(movie.file.length - 3 * CHUNK);
    expect(sha256Hex(storage.fileOf(localOf(storage, movie.ready.SyncJobItemId)!.FileId))).toBe(movie.ready.Sha256);
  });

  it('starts over when a chunk stored under whole-file hashing fails its block check', async () => {
    const { server, storage, loop } = setup();
    const movie = aReadyItem('Movie', 6 * CHUNK + 10);
    server.items.push(movie);
    server.offersBlocks = false;
    await cutAfterChunks(server, storage, loop, movie, 3);
    const fileId = localOf(storage, movie.ready.SyncJobItemId)!.FileId;
    storage.chunks.get(`${fileId}#1`)![5] ^= 0xff; // bit rot on the device
    server.offersBlocks = true;
    server.bytesServed.clear();

    expect((await loop.run({ reason: 'online' })).downloaded).toBe(1);
    expect(server.bytesServed.get(movie.ready.SyncJobItemId)).toBe(movie.file.length);
    expect(sha256Hex(storage.fileOf(fileId))).toBe(movie.ready.Sha256);
  });

  it('picks up exactly where a run was stopped (event time over) and finishes on the next one', async () => {
    const controller = new AbortController();
    const notifier = new RecordingNotifier();
    const stopping: Notifier = {
      ...notifier,
      runStarted: () => {},
      itemRemoved: () => {},
      runFinished: (s) => notifier.runFinished(s),
      progress: (p: ItemProgress) => {
        notifier.progress(p);
        if (p.bytes >= 3 * CHUNK) controller.abort(new DOMException('event time is up', 'AbortError'));
      },
    };
    const { server, storage, loop } = setup({ notifier: stopping });
    const movie = aReadyItem('Movie', 8 * CHUNK);
    server.items.push(movie);

    await loop.run({ reason: 'sync', signal: controller.signal });
    const cut = localOf(storage, movie.ready.SyncJobItemId)!;
    expect(cut.step).toBe('media');
    expect(cut.blocked).toBeUndefined();
    // Progress counts bytes as they arrive: the abort lands while chunk 3 is stored or just after.
    expect(cut.bytes % CHUNK).toBe(0);
    expect(cut.bytes).toBeGreaterThanOrEqual(2 * CHUNK);

    const servedBefore = server.bytesServed.get(movie.ready.SyncJobItemId)!;
    await loop.run({ reason: 'sync again' });
    expect(localOf(storage, movie.ready.SyncJobItemId)!.step).toBe('synced');
    // The chunk requested ahead when the run was cut is the only one asked for twice.
    expect(server.bytesServed.get(movie.ready.SyncJobItemId)! - movie.file.length).toBeLessThanOrEqual(CHUNK);
    expect(servedBefore).toBeLessThanOrEqual(4 * CHUNK);
  });

  it('restarts cleanly from byte 0 when the file changed on the server (If-Range mismatch → 200)', async () => {
    const { server, storage, loop } = setup();
    const movie = aReadyItem('Movie', 6 * CHUNK);
    server.items.push(movie);
    storage.settingsValue.retries = 1;
    server.breakFileAfter = 100; // first chunk breaks: nothing stored yet
    const fetchFile = server.fetchFile.bind(server);
    let calls = 0;
    server.fetchFile = async (...args) => {
      if (++calls === 4) server.mutateOnNextFile = movie; // after two whole chunks
      return fetchFile(...args);
    };
    // First run: 1 broken request; second: 2 chunks, then the file changes → 200 → restart from 0.
    await loop.run({ reason: 'one' });
    await loop.run({ reason: 'two' });
    const local = localOf(storage, movie.ready.SyncJobItemId)!;
    // The old Sha256 no longer matches; the next Ready carries the new one and the item completes.
    await loop.run({ reason: 'three' });
    const final = localOf(storage, movie.ready.SyncJobItemId)!;
    expect(final.step).toBe('synced');
    expect(sha256Hex(storage.fileOf(local.FileId))).toBe(sha256Hex(movie.file));
    expect(movie.etag).toContain('changed');
  });

  it('keeps going when one item fails: the others are stored and acknowledged', async () => {
    const { server, storage, loop } = setup();
    const broken = aReadyItem('Broken', 5000);
    const fine = aReadyItem('Fine', 5000);
    server.items.push(broken, fine);
    server.offersBlocks = false; // whole-file hashing
    broken.ready.Sha256 = 'f'.repeat(64); // never matches: integrity failure after its retries

    const summary = await loop.run({ reason: 'test' });

    expect(summary.downloaded).toBe(1);
    expect(summary.errors.join()).toContain('SHA-256 mismatch');
    expect(localOf(storage, fine.ready.SyncJobItemId)!.step).toBe('synced');
    expect(localOf(storage, broken.ready.SyncJobItemId)).toMatchObject({
      step: 'media',
      blocked: 'error',
      bytes: 0,
    });
    expect(storage.chunksOf(localOf(storage, broken.ready.SyncJobItemId)!.FileId)).toEqual([]);
  });

  it('retries a failing request with exponential backoff before leaving the item for the next run', async () => {
    const { server, storage, clock, loop } = setup();
    server.items.push(aReadyItem('Movie', 5000));
    storage.settingsValue = {
      ...storage.settingsValue,
      retries: 3,
      backoffMs: 100,
    };
    const fetchFile = server.fetchFile.bind(server);
    let failures = 2;
    server.fetchFile = async (...args) => {
      if (failures-- > 0) throw new ApiFailure(503, 'busy');
      return fetchFile(...args);
    };
    const summary = await loop.run({ reason: 'test' });
    expect(summary.downloaded).toBe(1);
    expect(clock.sleeps).toEqual([100, 200]);
  });

  it('keeps syncing the other servers when one cannot be reached', async () => {
    const reachable = new FakeServer();
    const offline = new FakeServer();
    offline.unreachable = true;
    const { storage, loop } = setup({
      apiFor: (s) => (s.serverId === SERVER_ID ? offline : reachable),
    });
    const other = {
      ...storage.servers[0]!,
      key: 'other/user',
      serverId: 'c'.repeat(32),
      serverUrl: 'http://other',
    };
    storage.servers.push(other);
    const movie = aReadyItem('Elsewhere', 3000);
    reachable.items.push(movie);

    const summary = await loop.run({ reason: 'test' });

    expect(summary).toMatchObject({ servers: 2, downloaded: 1, offline: true });
    expect(summary.errors).toEqual(['http://server: no answer']);
    expect(storage.runs.map((r) => r.ok)).toEqual([false, true]);
  });

  it('frees chunks, subtitles and posters of items Sync/Data says to remove, keeping a poster another item still uses', async () => {
    const { server, storage, loop } = setup();
    const series = {
      SeriesId: 's'.repeat(32),
      SeriesPrimaryImageTag: 'st',
      ImageTags: { Primary: 'e' },
    };
    const e1 = aReadyItem('E1', 5000, series);
    const e2 = aReadyItem('E2', 5000, series);
    server.items.push(e1, e2);
    await loop.run({ reason: 'download' });
    expect(storage.chunks.size).toBe(4);

    // Job item of E1 cancelled on the server: Data lists it for removal.
    server.items = server.items.filter((i) => i !== e1);
    const summary = await loop.run({ reason: 'after cancel' });

    expect(summary.removed).toBe(1);
    expect(localOf(storage, e1.ready.SyncJobItemId)).toBeUndefined();
    expect(storage.chunks.size).toBe(2);
    const keys = [...storage.cached.keys()];
    expect(keys).not.toContain(`/offline/images/${SERVER_ID}/${e1.ready.Item.Id}/Primary`);
    expect(keys).toContain(`/offline/images/${SERVER_ID}/${series.SeriesId}/Primary`);
  });

  it('drops a half-downloaded item whose job was cancelled (no longer offered by Items/Ready)', async () => {
    const { server, storage, loop } = setup();
    const movie = aReadyItem('Movie', 8 * CHUNK);
    server.items.push(movie);
    storage.settingsValue.retries = 1;
    server.breakFileAfter = 10;
    await loop.run({ reason: 'broken' });
    expect(localOf(storage, movie.ready.SyncJobItemId)).toBeDefined();
    server.items = [];
    await loop.run({ reason: 'cancelled' });
    expect(storage.items.size).toBe(0);
    expect(storage.chunks.size).toBe(0);
  });

  it('sends offline actions once, oldest first, and an UnwatchedOnly item watched offline leaves while the next one arrives', async () => {
    const { server, storage, loop } = setup();
    const e1 = aReadyItem('E1', 3000);
    e1.unwatchedOnly = true;
    const e2 = aReadyItem('E2', 3000);
    e2.unwatchedOnly = true;
    server.items.push(e1);
    server.nextUnwatched.push(e2);
    await loop.run({ reason: 'download' });

    const action = (id: string, date: string) => ({
      Id: id,
      ServerId: SERVER_ID,
      UserId: USER_ID,
      ItemId: e1.ready.Item.Id,
      Type: 'PlayedItem' as const,
      Date: date,
    });
    storage.outboxRows.push(action('late', '2024-01-02T00:00:00Z'), action('early', '2024-01-01T00:00:00Z'));
    server.unreachable = true;
    await loop.run({ reason: 'offline' });
    expect(storage.outboxRows).toHaveLength(2); // no answer: kept

    server.unreachable = false;
    const summary = await loop.run({ reason: 'back online' });
    expect(server.actionsApplied.map((a) => a.Id)).toEqual(['early', 'late']);
    expect(storage.outboxRows).toEqual([]);
    expect(summary).toMatchObject({
      actionsSent: 2,
      removed: 1,
      downloaded: 1,
    });
    expect(localOf(storage, e1.ready.SyncJobItemId)).toBeUndefined();
    expect(localOf(storage, e2.ready.SyncJobItemId)?.step).toBe('synced');

    // Sent twice (the answer was lost): the server applies it once.
    storage.outboxRows.push(action('early', '2024-01-01T00:00:00Z'));
    await loop.run({ reason: 'resend' });
    expect(server.actionsApplied).toHaveLength(2);
  });

  it('drops offline actions the server refuses (4xx) but keeps them on a server error', async () => {
    const { server, storage, loop } = setup();
    storage.outboxRows.push({
      Id: 'x',
      ServerId: SERVER_ID,
      UserId: USER_ID,
      ItemId: 'i',
      Type: 'PlayedItem',
      Date: '2024-01-01T00:00:00Z',
    });
    server.actionsStatus = 503;
    await loop.run({ reason: '5xx' });
    expect(storage.outboxRows).toHaveLength(1);
    server.actionsStatus = 400;
    await loop.run({ reason: '4xx' });
    expect(storage.outboxRows).toHaveLength(0);
  });

  it('stops downloading on QuotaExceededError, says so, and keeps what is complete', async () => {
    const { server, storage, loop } = setup();
    const small = aReadyItem('Small', 2 * CHUNK);
    server.items.push(small);
    await loop.run({ reason: 'first' });
    const big = aReadyItem('Big', 6 * CHUNK);
    const bigger = aReadyItem('Bigger', 6 * CHUNK);
    server.items.push(big, bigger);
    storage.quotaBytes = 4 * CHUNK;
    storage.settingsValue.concurrency = 1;

    const summary = await loop.run({ reason: 'full' });

    expect(summary.quotaExceeded).toBe(true);
    expect(summary.errors).toContain(QUOTA_MESSAGE);
    expect(localOf(storage, small.ready.SyncJobItemId)?.step).toBe('synced');
    expect(storage.chunksOf(localOf(storage, small.ready.SyncJobItemId)!.FileId)).toHaveLength(2);
    expect(localOf(storage, big.ready.SyncJobItemId)).toMatchObject({
      step: 'media',
      blocked: 'quota',
      bytes: 2 * CHUNK,
      error: QUOTA_MESSAGE,
    });
    // Once full, the loop does not start the next item.
    expect(localOf(storage, bigger.ready.SyncJobItemId)?.bytes).toBe(0);

    // An automatic run leaves quota-blocked items alone; "Sync now" retries them.
    storage.quotaBytes = undefined;
    await loop.run({ reason: 'timer' });
    expect(localOf(storage, big.ready.SyncJobItemId)?.blocked).toBe('quota');
    await loop.run({ reason: 'user', retryQuota: true });
    expect(localOf(storage, big.ready.SyncJobItemId)?.step).toBe('synced');
  });

  it('stops a paused item after its current chunk and skips it until resumed', async () => {
    const paused = new Set<string>();
    const { server, storage, loop } = setup({
      isPaused: (id) => paused.has(id),
    });
    const movie = aReadyItem('Movie', 5 * CHUNK);
    server.items.push(movie);
    paused.add(`${SERVER_ID}_${movie.ready.SyncJobItemId}`);
    await loop.run({ reason: 'paused' });
    expect(localOf(storage, movie.ready.SyncJobItemId)?.bytes).toBe(0);
    paused.clear();
    await loop.run({ reason: 'resumed' });
    expect(localOf(storage, movie.ready.SyncJobItemId)?.step).toBe('synced');
  });

  it('stops a download mid-chunk when the person pauses it, keeps the whole chunks, and says it is paused', async () => {
    const notifier = new RecordingNotifier();
    const ref: { loop?: SyncLoop } = {};
    let id = '';
    const paused = new Set<string>();
    const pausing: Notifier = {
      ...notifier,
      runStarted: () => {},
      itemRemoved: () => {},
      runFinished: (s) => notifier.runFinished(s),
      progress: (p: ItemProgress) => {
        notifier.progress(p);
        // The person presses Pause while the second chunk is arriving.
        if (p.bytes > CHUNK + 1500 && paused.size === 0) {
          paused.add(id);
          ref.loop!.stopDownload(id);
        }
      },
    };
    const built = setup({ notifier: pausing, isPaused: (i) => paused.has(i) });
    const loop = (ref.loop = built.loop);
    const movie = aReadyItem('Movie', 5 * CHUNK);
    built.server.items.push(movie);
    id = `${SERVER_ID}_${movie.ready.SyncJobItemId}`;

    const summary = await loop.run({ reason: 'paused mid-chunk' });

    expect(summary.errors).toEqual([]);
    expect(summary.offline).toBe(false);
    expect(localOf(built.storage, movie.ready.SyncJobItemId)!.bytes).toBe(CHUNK);
    // Not the rest of the file: the request in hand was dropped, and nothing after it was asked for.
    expect(built.server.bytesServed.get(movie.ready.SyncJobItemId)!).toBeLessThan(3 * CHUNK);
    expect(notifier.events.at(-1)).toMatchObject({ id, bytes: CHUNK });
  });

  it('skips sessions without a token and reports every user of a server as offline users', async () => {
    const { server, storage, loop } = setup();
    storage.servers.push({
      ...storage.servers[0]!,
      key: 'x',
      userId: 'other-user',
      token: '',
    });
    const calls: unknown[] = [];
    const syncData = server.syncData.bind(server);
    server.syncData = async (req) => {
      calls.push(req);
      return syncData(req);
    };
    await loop.run({ reason: 'test' });
    expect(calls[0]).toEqual({
      TargetId: DEVICE,
      LocalItemIds: [],
      OfflineUserIds: [USER_ID],
    });
  });
});
