/**
 * Fetches one item's media file into IndexedDB chunks, resumable at any point.
 *
 * One Range request per chunk (`bytes=N-(N+chunk-1)`, `If-Range: <etag>`), each chunk hashed into the
 * running SHA-256 and stored together with the item's byte count and hash state in one transaction.
 * A chunk is taken as the answer's Blob and stored as that Blob: the bytes cross into the worker's heap
 * once, for hashing, and IndexedDB copies them from the browser's blob store (measured: reading a 4 MiB
 * answer through the body stream into a buffer cost ~2× the Blob route).
 * Why a request per chunk rather than one long `bytes=N-` stream: when a connection breaks, the browser
 * errors the body stream and drops whatever it had queued but the page had not read yet (measured: up to
 * ~600 KiB at 128 KiB chunks), so a long stream can lose more than a chunk; a request that asks for one
 * chunk can never lose more than that chunk. The next chunk's request is sent while the current one is
 * written, so IndexedDB latency overlaps the network's.
 *
 * A 200 where a 206 was asked for means the file changed (If-Range mismatch): the old chunks go and the
 * download restarts from byte 0. Memory: one chunk being written plus one arriving, never the file.
 */
import type { LocalItem } from '../db';
import { FileHasher } from './fileHasher';
import { ApiFailure, isQuotaError, type ApiPort, type Clock, type FileResponse, type StoragePort, type SyncSettings } from './ports';

export class IntegrityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IntegrityError';
  }
}

/** The person paused this item: stop after the chunk in hand, keep everything stored. */
export class PausedError extends Error {
  constructor() {
    super('paused');
    this.name = 'PausedError';
  }
}

export interface DownloadContext {
  api: ApiPort;
  storage: StoragePort;
  clock: Clock;
  settings: SyncSettings;
  signal?: AbortSignal;
  onProgress?: (item: LocalItem) => void;
  /** Checked after every chunk (pause by the person). */
  isPaused?: () => boolean;
}

/** Downloads with retries and exponential backoff; quota, pause and aborts are not retried. */
export async function downloadMediaWithRetries(ctx: DownloadContext, item: LocalItem): Promise<LocalItem> {
  let current = item;
  for (let attempt = 0; ; attempt++) {
    try {
      return await downloadMedia(ctx, current);
    } catch (err) {
      if (ctx.signal?.aborted || isQuotaError(err) || err instanceof PausedError) throw err;
      const transient = (err instanceof ApiFailure && err.isTransient) || err instanceof IntegrityError;
      if (!transient || attempt + 1 >= ctx.settings.retries) throw err;
      await ctx.clock.sleep(ctx.settings.backoffMs * 2 ** attempt, ctx.signal);
      current = (await ctx.storage.getItem(item.Id)) ?? current;
    }
  }
}

/** The body of a one-chunk answer, checked to be exactly the length asked for. */
async function readChunkBody(res: FileResponse, expected: number, signal?: AbortSignal): Promise<Blob> {
  let blob: Blob;
  try {
    blob = await res.blob();
  } catch (err) {
    if (signal?.aborted) throw signal.reason ?? err;
    throw new ApiFailure(0, `the download broke off: ${(err as Error)?.message ?? err}`);
  }
  if (blob.size > expected) throw new ApiFailure(502, 'the server sent more bytes than asked for');
  if (blob.size !== expected) throw new ApiFailure(0, `the download broke off after ${blob.size} of ${expected} bytes`);
  return blob;
}

/**
 * The hash of what is already stored: the saved state when it loads, else the stored chunks hashed again
 * (a record from the earlier hasher, or a state another hash-wasm build refuses) — reading IndexedDB is
 * far cheaper than downloading again. Undefined when a chunk is missing: the caller starts over.
 */
async function hasherFor(storage: StoragePort, item: LocalItem): Promise<FileHasher | undefined> {
  if (item.bytes === 0) return FileHasher.fresh();
  const saved = await FileHasher.resume(item.hash);
  if (saved?.bytesHashed === item.bytes) return saved;
  const hasher = await FileHasher.fresh();
  for (let index = 0; index < item.nextChunk; index++) {
    const chunk = await storage.readChunk(item.FileId, index);
    if (!chunk) return undefined;
    hasher.update(new Uint8Array(await chunk.arrayBuffer()));
  }
  return hasher.bytesHashed === item.bytes ? hasher : undefined;
}

function cancel(res: FileResponse | undefined): void {
  void res?.body.cancel().catch(() => {});
}

export async function downloadMedia(ctx: DownloadContext, start: LocalItem): Promise<LocalItem> {
  const { api, storage, settings, signal } = ctx;
  let item = start;
  if (item.nextChunk === 0 && item.chunkSize !== settings.chunkSize) item = { ...item, chunkSize: settings.chunkSize };
  const chunkSize = item.chunkSize;
  let hasher = await hasherFor(storage, item);
  if (!hasher) {
    item = await storage.resetMedia(item);
    hasher = await FileHasher.fresh();
  }

  const request = (from: number) => {
    const to = item.size !== undefined ? Math.min(from + chunkSize, item.size) - 1 : from + chunkSize - 1;
    return api.fetchFile(item.SyncJobItemId, from, to, from > 0 ? item.etag : undefined, signal);
  };

  let restarts = 0;
  let pendingWrite: Promise<void> | undefined;
  let next: Promise<FileResponse> | undefined = item.size === 0 ? undefined : request(item.bytes);
  try {
    while (true) {
      if (item.size !== undefined && item.bytes >= item.size) break;
      const res: FileResponse = await next!;
      next = undefined;
      const from = item.bytes;
      const changed = res.status === 416 || (res.status === 200 && from > 0) || (res.status === 206 && res.start !== from);
      if (changed) {
        // The file changed under us (If-Range mismatch → 200; it shrank → 416): start again from byte 0.
        cancel(res);
        if (++restarts > 2) throw new ApiFailure(502, 'the file keeps changing during the download');
        item = await storage.resetMedia({ ...item, size: undefined });
        hasher = await FileHasher.fresh();
        next = request(0);
        continue;
      }
      const total = res.total ?? item.size;
      if (total === undefined) {
        cancel(res);
        throw new ApiFailure(502, 'the server did not say how large the file is');
      }
      if (item.size !== total || (res.etag && res.etag !== item.etag)) {
        item = {
          ...item,
          size: total,
          etag: res.etag ?? item.etag,
          contentType: res.contentType ?? item.contentType,
        };
      }
      if (res.status === 200 && total > chunkSize) {
        // A server that ignores Range: take the body as it streams, chunk by chunk.
        item = await consumeWholeBody(ctx, item, res, hasher);
        break;
      }
      const length = Math.min(chunkSize, total - from);
      const data = await readChunkBody(res, length, signal);
      const last = from + length >= total;
      // Ask for the next chunk before storing this one: the request travels while IndexedDB writes.
      if (!last) next = request(from + length);
      const prepared = await prepareChunk(ctx, item, hasher, data, last);
      // One write in flight while the next chunk downloads and hashes; waiting for it before issuing the
      // next keeps the stored byte count moving forward over chunks that are really there.
      if (pendingWrite) await pendingWrite;
      pendingWrite = ctx.storage.writeChunk(prepared, item.nextChunk, data);
      pendingWrite.catch(() => {}); // observed below; avoids an unhandled rejection meanwhile
      item = prepared;
      ctx.onProgress?.(item);
      if (last) break;
      if (ctx.isPaused?.()) throw new PausedError();
      if (signal?.aborted) throw signal.reason;
    }
    if (pendingWrite) await pendingWrite;
    if (item.size === 0 && item.step === 'media') item = await storeChunk(ctx, item, hasher, new Blob([]), true);
    return item;
  } catch (err) {
    if (next) void next.then(cancel, () => {});
    // A failed write (quota) is the real cause; otherwise let the write finish so the record is current.
    if (pendingWrite)
      await pendingWrite.catch((e: unknown) => {
        if (isQuotaError(e)) err = e;
      });
    throw err;
  }
}

/** Hashes and stores one chunk with the item's new state; the last one is checked against Sha256 first. */
async function storeChunk(ctx: DownloadContext, item: LocalItem, hasher: FileHasher, data: Blob, last: boolean): Promise<LocalItem> {
  const next = await prepareChunk(ctx, item, hasher, data, last);
  await ctx.storage.writeChunk(next, item.nextChunk, data);
  return next;
}

/** Hashes a chunk and returns the item's state once it is stored (the last chunk is checked first). */
async function prepareChunk(ctx: DownloadContext, item: LocalItem, hasher: FileHasher, data: Blob, last: boolean): Promise<LocalItem> {
  hasher.update(new Uint8Array(await data.arrayBuffer()));
  const index = item.nextChunk;
  let next: LocalItem = {
    ...item,
    nextChunk: index + 1,
    bytes: item.bytes + data.size,
    updatedAt: ctx.clock.now(),
  };
  if (last) {
    const digest = hasher.hex();
    if (item.sha256 && digest !== item.sha256.toLowerCase()) {
      await ctx.storage.resetMedia(item);
      throw new IntegrityError(`SHA-256 mismatch: expected ${item.sha256}, got ${digest}`);
    }
    next = { ...next, step: 'extras', hash: undefined };
  } else {
    next = { ...next, hash: hasher.save() };
  }
  return next;
}

/** Fallback for a 200 to a ranged request from byte 0: cut the streaming body into chunks as it arrives. */
async function consumeWholeBody(ctx: DownloadContext, start: LocalItem, res: FileResponse, hasher: FileHasher): Promise<LocalItem> {
  let item = start;
  const total = item.size!;
  const reader = res.body.getReader();
  let buffer = new Uint8Array(Math.min(item.chunkSize, total));
  let fill = 0;
  try {
    while (item.bytes < total) {
      let r: ReadableStreamReadResult<Uint8Array>;
      try {
        r = await reader.read();
      } catch (err) {
        throw new ApiFailure(0, `the download broke off: ${(err as Error)?.message ?? err}`);
      }
      if (r.done) throw new ApiFailure(0, `the download stopped at ${item.bytes + fill} of ${total} bytes`);
      let value = r.value;
      while (value.length > 0) {
        const take = Math.min(buffer.length - fill, value.length);
        buffer.set(value.subarray(0, take), fill);
        fill += take;
        value = value.subarray(take);
        if (fill === buffer.length) {
          const last = item.bytes + fill >= total;
          item = await storeChunk(ctx, item, hasher, new Blob([buffer]), last);
          ctx.onProgress?.(item);
          if (last) return item;
          if (ctx.isPaused?.()) throw new PausedError();
          buffer = new Uint8Array(Math.min(item.chunkSize, total - item.bytes));
          fill = 0;
        }
      }
    }
    return item;
  } finally {
    await reader.cancel().catch(() => {});
  }
}
