/**
 * Large media handed to the browser's Background Fetch (sw/sync/syncLoop.ts handedToBrowser) and its body
 * taken in as chunks (sw/sync/downloadManager.ts ingestMedia), over the fakes of the loop's ports.
 */
import { describe, expect, it } from 'vitest';
import { ingestMedia } from '../../../sw/sync/downloadManager';
import { ApiFailure, type FileResponse } from '../../../sw/sync/ports';
import { SyncLoop } from '../../../sw/sync/syncLoop';
import { aReadyItem, FakeBackgroundFetch, FakeClock, FakeServer, FakeStorage, RecordingNotifier, sha256Hex } from './fakes';

const CHUNK = 4096;

function setup() {
  const server = new FakeServer();
  const storage = new FakeStorage();
  const clock = new FakeClock();
  const browser = new FakeBackgroundFetch();
  storage.settingsValue.backgroundFetchMinBytes = 8 * CHUNK;
  storage.settingsValue.retries = 1;
  const loop = new SyncLoop({ storage, clock, notifier: new RecordingNotifier(), apiFor: () => server, backgroundFetch: browser });
  return { server, storage, clock, browser, loop };
}

const localOf = (storage: FakeStorage, jobItemId: string) => [...storage.items.values()].find((i) => i.SyncJobItemId === jobItemId)!;

/** The browser's answer for the rest of the file, as Background Fetch would hand it over. */
function answerFrom(file: Uint8Array, from: number, etag: string, status = 206): FileResponse {
  const rest = file.slice(from);
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      for (let i = 0; i < rest.length; i += 1500) c.enqueue(rest.subarray(i, i + 1500));
      c.close();
    },
  });
  return { status, start: from, total: file.length, etag, contentType: 'video/mp4', body, blob: () => new Response(body).blob() };
}

/** The ordinary download stores three chunks, then the connection goes. */
async function cutAfterThreeChunks(server: FakeServer, loop: SyncLoop): Promise<void> {
  const fetchFile = server.fetchFile.bind(server);
  server.fetchFile = async (...args) => {
    const res = await fetchFile(...args);
    if (args[1] < 3 * CHUNK) return res;
    server.unreachable = true;
    return { ...res, blob: () => Promise.reject(new TypeError('network gone')) };
  };
  await loop.run({ reason: 'cut' });
  server.unreachable = false;
  server.fetchFile = fetchFile;
}

describe('Background Fetch of large media', () => {
  it('hands a large item to the browser instead of downloading it, and leaves it alone while the browser works', async () => {
    const { server, storage, browser, loop } = setup();
    const movie = aReadyItem('Big', 10 * CHUNK + 5);
    const small = aReadyItem('Small', 2 * CHUNK);
    server.items.push(movie, small);

    const first = await loop.run({ reason: 'test' });
    expect(first.downloaded).toBe(1); // the small one, the ordinary way
    expect(server.bytesServed.get(movie.ready.SyncJobItemId)).toBeUndefined();
    expect(browser.started).toEqual([
      {
        id: `stowaway-media:${localOf(storage, movie.ready.SyncJobItemId).Id}`,
        request: expect.objectContaining({ headers: {} }),
        remaining: movie.file.length,
      },
    ]);
    expect(localOf(storage, movie.ready.SyncJobItemId).backgroundFetch).toMatchObject({ from: 0 });

    await loop.run({ reason: 'again' });
    expect(browser.started).toHaveLength(1);
    expect(server.bytesServed.get(movie.ready.SyncJobItemId)).toBeUndefined();
  });

  it('asks the browser only for what is not stored yet (Range and If-Range)', async () => {
    const { server, storage, browser, loop } = setup();
    const movie = aReadyItem('Big', 10 * CHUNK + 5);
    server.items.push(movie);
    browser.decline = true;
    await cutAfterThreeChunks(server, loop);
    const partial = localOf(storage, movie.ready.SyncJobItemId);
    expect(partial.bytes).toBe(3 * CHUNK);

    browser.decline = false;
    storage.settingsValue.backgroundFetchMinBytes = 4 * CHUNK; // what is left (7 chunks) is still large
    await loop.run({ reason: 'again' });
    expect(browser.started[0]).toMatchObject({
      request: { headers: { Range: `bytes=${3 * CHUNK}-`, 'If-Range': movie.etag } },
      remaining: movie.file.length - 3 * CHUNK,
    });
    expect(localOf(storage, movie.ready.SyncJobItemId).backgroundFetch?.from).toBe(3 * CHUNK);
  });

  it('downloads the rest itself when the browser declines, or when a hand-over ended without being stored', async () => {
    const { server, storage, browser, loop } = setup();
    const movie = aReadyItem('Big', 10 * CHUNK + 5);
    server.items.push(movie);
    await loop.run({ reason: 'handed over' });
    const id = browser.started[0]!.id;
    browser.states.set(id, 'gone'); // failed, or its success event was cut short before storing anything

    const summary = await loop.run({ reason: 'after' });
    expect(summary.downloaded).toBe(1);
    const local = localOf(storage, movie.ready.SyncJobItemId);
    expect(local.backgroundFetch).toBeUndefined();
    expect(sha256Hex(storage.fileOf(local.FileId))).toBe(movie.ready.Sha256);

    // A hand-over that failed lately is not repeated: the loop downloads instead.
    const failed = aReadyItem('Failed', 9 * CHUNK);
    server.items.push(failed);
    await loop.run({ reason: 'record', downloads: false });
    const failedLocal = localOf(storage, failed.ready.SyncJobItemId);
    await storage.putItem({ ...failedLocal, backgroundFetchRetryAt: Date.now() * 2 });
    expect((await loop.run({ reason: 'after a failure' })).downloaded).toBe(1);
    expect(browser.started).toHaveLength(1);

    const other = aReadyItem('Other', 9 * CHUNK);
    server.items.push(other);
    browser.decline = true;
    expect((await loop.run({ reason: 'declined' })).downloaded).toBe(1);
  });

  it('stops the browser’s fetch when the job is cancelled on the server', async () => {
    const { server, storage, browser, loop } = setup();
    const movie = aReadyItem('Big', 10 * CHUNK + 5);
    server.items.push(movie);
    await loop.run({ reason: 'handed over' });
    server.items = [];

    await loop.run({ reason: 'cancelled' });
    expect(browser.aborted).toEqual([browser.started[0]!.id]);
    expect(storage.items.size).toBe(0);
  });
});

describe('ingestMedia (the body Background Fetch fetched)', () => {
  function context(server: FakeServer, storage: FakeStorage) {
    return { api: server, storage, clock: new FakeClock(), settings: { ...storage.settingsValue } };
  }

  it('stores the rest of the file as checked chunks after those already on the device', async () => {
    const server = new FakeServer();
    const storage = new FakeStorage();
    const movie = aReadyItem('Big', 10 * CHUNK + 5);
    server.items.push(movie);
    const { loop } = { loop: new SyncLoop({ storage, clock: new FakeClock(), notifier: new RecordingNotifier(), apiFor: () => server }) };
    storage.settingsValue.retries = 1;
    await cutAfterThreeChunks(server, loop);
    const partial = localOf(storage, movie.ready.SyncJobItemId);
    expect(partial.bytes).toBe(3 * CHUNK);
    server.bytesServed.clear();

    const stored = await ingestMedia(context(server, storage), partial, answerFrom(movie.file, 3 * CHUNK, movie.etag));
    expect(stored).toMatchObject({ step: 'extras', bytes: movie.file.length, verifiedBy: 'blocks' });
    expect(sha256Hex(storage.fileOf(partial.FileId))).toBe(movie.ready.Sha256);
    expect(server.bytesServed.get(movie.ready.SyncJobItemId)).toBeUndefined(); // nothing fetched by the loop
  });

  it('refuses an answer that does not continue what is stored, storing nothing', async () => {
    const server = new FakeServer();
    const storage = new FakeStorage();
    const movie = aReadyItem('Big', 6 * CHUNK);
    server.items.push(movie);
    const loop = new SyncLoop({ storage, clock: new FakeClock(), notifier: new RecordingNotifier(), apiFor: () => server });
    storage.settingsValue.backgroundFetchMinBytes = 0;
    await loop.run({ reason: 'record only', downloads: false });
    const item = localOf(storage, movie.ready.SyncJobItemId);

    for (const wrong of [answerFrom(movie.file, CHUNK, movie.etag), answerFrom(movie.file, 0, '"another-file"')]) {
      await expect(ingestMedia(context(server, storage), item, wrong)).rejects.toBeInstanceOf(ApiFailure);
    }
    expect(storage.chunks.size).toBe(0);
  });

  it('catches a corrupted byte in the fetched body and keeps only the chunks before it', async () => {
    const server = new FakeServer();
    const storage = new FakeStorage();
    const movie = aReadyItem('Big', 6 * CHUNK);
    server.items.push(movie);
    const loop = new SyncLoop({ storage, clock: new FakeClock(), notifier: new RecordingNotifier(), apiFor: () => server });
    await loop.run({ reason: 'record only', downloads: false });
    const item = localOf(storage, movie.ready.SyncJobItemId);
    const bad = movie.file.slice();
    bad[4 * CHUNK + 7]! ^= 0xff;

    await expect(ingestMedia(context(server, storage), item, answerFrom(bad, 0, movie.etag, 200))).rejects.toThrow(/chunk 4/);
    expect(storage.chunksOf(item.FileId)).toHaveLength(4);
  });
});
