/**
 * Fetches one item's media file into IndexedDB chunks, resumable at any point.
 *
 * One Range request per chunk (`bytes=N-(N+chunk-1)`, `If-Range: <etag>`), each chunk checked (see
 * chunkVerifier.ts: against the server's digest of that block, or through a running whole-file SHA-256
 * when the server has no block digests) and stored together with the item's byte count in one
 * transaction. A chunk is taken as the answer's Blob and stored as that Blob: the bytes cross into the
 * worker's heap once, for the check, and IndexedDB copies them from the browser's blob store (measured:
 * reading a 4 MiB answer through the body stream into a buffer cost ~2× the Blob route).
 *
 * Why a request per chunk rather than one long `bytes=N-` stream: when a connection breaks, the browser
 * errors the body stream and drops whatever it had queued but the page had not read yet (measured: up to
 * ~600 KiB at 128 KiB chunks), so a long stream can lose more than a chunk; a request that asks for one
 * chunk can never lose more than that chunk. The next chunk's request is sent while the current one is
 * checked and written, so hashing and IndexedDB latency overlap the network's.
 *
 * A 200 where a 206 was asked for means the file changed (If-Range mismatch): the old chunks go and the
 * download restarts from byte 0, with fresh block digests. Memory: one chunk being written plus one
 * arriving, never the file.
 */
import type { LocalItem } from '../db';
import { BlockVerifier, IntegrityError, StreamVerifier, type ChunkVerifier } from './chunkVerifier';
import {
  ApiFailure,
  isQuotaError,
  type ApiPort,
  type BlockList,
  type Clock,
  type FileResponse,
  type StoragePort,
  type SyncSettings,
} from './ports';

export { IntegrityError };

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
  /** After every stored chunk: the item as stored. */
  onProgress?: (item: LocalItem) => void;
  /**
   * As bytes arrive (many times a second): the item as stored and the media bytes received so far —
   * stored ones plus those of the chunks still arriving. The caller throttles what it passes on.
   */
  onBytes?: (item: LocalItem, received: number) => void;
  /**
   * Whether anyone looks at the progress now (a visible page of the app). Counting bytes as they arrive
   * reads the body through the worker, which measured ~30 % slower than taking it whole as a Blob
   * (bench/swDownload.ts), so with nobody looking a chunk is taken whole. Absent: always counted.
   */
  watched?: () => Promise<boolean>;
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
 * Chooses how this download is checked and makes what is stored agree with it: block digests when the
 * server has them (chunks stored under a whole-file hash are checked block by block first; a file that
 * changed since starts over), else the running whole-file hash, rebuilt from the stored chunks if its
 * saved state cannot be loaded.
 */
async function prepare(ctx: DownloadContext, start: LocalItem): Promise<{ item: LocalItem; verifier: ChunkVerifier }> {
  const { api, storage, signal } = ctx;
  let item = start;
  const read = (index: number) => storage.readChunk(item.FileId, index);
  const list = await api.fetchBlocks(item.SyncJobItemId, item.chunkSize, signal);
  if (list) {
    const verifier = new BlockVerifier(list);
    if (item.bytes > 0) {
      const sameFile = (!item.etag || !list.ETag || item.etag === list.ETag) && (item.size === undefined || item.size === list.Size);
      const good = !sameFile ? 0 : item.verifiedBy === 'blocks' ? item.nextChunk : await verifier.verifiedPrefix(item.nextChunk, read);
      if (good < item.nextChunk) item = await storage.resetMedia(item);
    }
    return { item: { ...item, verifiedBy: 'blocks', hash: undefined }, verifier };
  }
  const resumed = await StreamVerifier.resume(item, read);
  if (resumed) return { item: { ...item, verifiedBy: 'stream' }, verifier: resumed };
  item = await storage.resetMedia(item);
  return { item: { ...item, verifiedBy: 'stream' }, verifier: await StreamVerifier.fresh() };
}

function cancel(res: FileResponse | undefined): void {
  void res?.body.cancel().catch(() => {});
}

export async function downloadMedia(ctx: DownloadContext, start: LocalItem): Promise<LocalItem> {
  let item = start;
  if (item.nextChunk === 0 && item.chunkSize !== ctx.settings.chunkSize) item = { ...item, chunkSize: ctx.settings.chunkSize };
  const prepared = await prepare(ctx, item);
  return new ChunkedDownload(ctx, prepared.item, prepared.verifier).run();
}

/** One run of downloadMedia: the chunk requests, the one write in flight, and the restarts it made. */
class ChunkedDownload {
  private readonly chunkSize: number;
  /** Bytes received per chunk still arriving (keyed by its first byte), for progress between stored chunks. */
  private readonly arriving = new Map<number, number>();
  private restarts = 0;
  private pendingWrite?: Promise<void>;
  private next?: Promise<FileResponse>;

  constructor(
    private readonly ctx: DownloadContext,
    private item: LocalItem,
    private verifier: ChunkVerifier,
  ) {
    this.chunkSize = item.chunkSize;
  }

  async run(): Promise<LocalItem> {
    const { ctx } = this;
    this.next = this.item.size === 0 ? undefined : this.request(this.item.bytes);
    try {
      while (this.item.size === undefined || this.item.bytes < this.item.size) {
        const res: FileResponse = await this.next!;
        this.next = undefined;
        if ((await this.take(res)) === 'done') break;
      }
      if (this.pendingWrite) await this.pendingWrite;
      if (this.item.size === 0 && this.item.step === 'media')
        this.item = await storeChunk(ctx, this.item, this.verifier, new Blob([]), true);
      return this.item;
    } catch (err) {
      throw await this.settle(err);
    }
  }

  /** The file the block digests describe: an answer for another one means it changed under us. */
  private listed(): BlockList | undefined {
    return this.verifier instanceof BlockVerifier ? this.verifier.list : undefined;
  }

  private reportArrival(): void {
    let received = this.item.bytes;
    for (const [from, n] of this.arriving) if (from >= this.item.bytes) received += n;
    this.ctx.onBytes?.(this.item, received);
  }

  /**
   * A one-chunk answer starts draining into a Blob the moment it arrives: a body nobody reads stalls once
   * the browser's pipe is full, and the prefetch of the next chunk would then move only a few hundred KB.
   */
  private async request(from: number): Promise<FileResponse> {
    const { ctx, item, chunkSize } = this;
    const to = item.size !== undefined ? Math.min(from + chunkSize, item.size) - 1 : from + chunkSize - 1;
    const res = await ctx.api.fetchFile(item.SyncJobItemId, from, to, from > 0 ? item.etag : undefined, ctx.signal);
    if (res.status !== 206) return res;
    const onBytes =
      ctx.onBytes && (await (ctx.watched?.() ?? true))
        ? (n: number) => {
            this.arriving.set(from, n);
            this.reportArrival();
          }
        : undefined;
    const blob = res.blob(onBytes);
    blob.catch(() => {}); // observed when the chunk is read; a dropped prefetch must not log as unhandled
    return { ...res, blob: () => blob };
  }

  /** One answer: a restart, the whole file (a server that ignores Range), or one more chunk stored. */
  private async take(res: FileResponse): Promise<'more' | 'done'> {
    const from = this.item.bytes;
    if (this.fileChanged(res, from)) {
      await this.restart(res);
      return 'more';
    }
    const total = res.total ?? this.item.size;
    if (total === undefined) {
      cancel(res);
      throw new ApiFailure(502, 'the server did not say how large the file is');
    }
    const item = this.item;
    if (item.size !== total || (res.etag && res.etag !== item.etag)) {
      this.item = {
        ...item,
        size: total,
        etag: res.etag ?? item.etag,
        contentType: res.contentType ?? item.contentType,
      };
    }
    if (res.status === 200 && total > this.chunkSize) {
      // A server that ignores Range: take the body as it streams, chunk by chunk.
      this.item = await consumeWholeBody(this.ctx, this.item, res, this.verifier);
      return 'done';
    }
    return (await this.storeChunk(res, from, total)) ? 'done' : 'more';
  }

  private fileChanged(res: FileResponse, from: number): boolean {
    const list = this.listed();
    return (
      res.status === 416 ||
      (res.status === 200 && from > 0) ||
      (res.status === 206 && res.start !== from) ||
      (!!list && ((!!list.ETag && !!res.etag && res.etag !== list.ETag) || (res.total !== undefined && res.total !== list.Size)))
    );
  }

  /** The file changed under us (If-Range mismatch → 200; it shrank → 416): start again from byte 0. */
  private async restart(res: FileResponse): Promise<void> {
    cancel(res);
    if (++this.restarts > 2) throw new ApiFailure(502, 'the file keeps changing during the download');
    ({ item: this.item, verifier: this.verifier } = await prepare(
      this.ctx,
      await this.ctx.storage.resetMedia({ ...this.item, size: undefined }),
    ));
    this.arriving.clear();
    this.next = this.request(0);
  }

  /** Checks and stores the chunk at `from`; true when it was the last one. */
  private async storeChunk(res: FileResponse, from: number, total: number): Promise<boolean> {
    const { ctx } = this;
    const length = Math.min(this.chunkSize, total - from);
    const data = await readChunkBody(res, length, ctx.signal);
    const last = from + length >= total;
    // Ask for the next chunk before storing this one: the request travels while IndexedDB writes.
    if (!last) this.next = this.request(from + length);
    const prepared = await checkChunk(ctx, this.item, this.verifier, data, last);
    // One write in flight while the next chunk downloads and hashes; waiting for it before issuing the
    // next keeps the stored byte count moving forward over chunks that are really there.
    if (this.pendingWrite) await this.pendingWrite;
    this.pendingWrite = ctx.storage.writeChunk(prepared, this.item.nextChunk, data);
    this.pendingWrite.catch(() => {}); // observed below; avoids an unhandled rejection meanwhile
    this.item = prepared;
    this.arriving.delete(from);
    ctx.onProgress?.(this.item);
    this.reportArrival();
    if (last) return true;
    if (ctx.isPaused?.()) throw new PausedError();
    if (ctx.signal?.aborted) throw ctx.signal.reason;
    return false;
  }

  /** After a failure: drop the prefetch, let the write in hand finish, and return the error to throw. */
  private async settle(failure: unknown): Promise<unknown> {
    let err = failure;
    if (this.next) void this.next.then(cancel, () => {});
    // A failed write (quota) is the real cause; otherwise let the write finish so the record is current.
    if (this.pendingWrite)
      await this.pendingWrite.catch((e: unknown) => {
        if (isQuotaError(e)) err = e;
      });
    // A whole-file mismatch condemned every chunk (checkChunk reset them), but the previous chunk's write
    // may have landed after that reset: reset again now that no write is in flight.
    if (err instanceof IntegrityError && err.chunk === undefined) await this.ctx.storage.resetMedia(this.item);
    return err;
  }
}

/**
 * Takes in the body of a media answer fetched outside the loop (Background Fetch asked for the rest of the
 * file from `start.bytes`): checked and stored chunk by chunk as it streams. An answer that does not
 * continue exactly what is stored (another range, another file) is refused; the loop then downloads.
 */
export async function ingestMedia(ctx: DownloadContext, start: LocalItem, res: FileResponse): Promise<LocalItem> {
  const { item: prepared, verifier } = await prepare(ctx, start);
  const from = prepared.bytes;
  const continues =
    prepared.bytes === start.bytes &&
    ((res.status === 206 && res.start === from) || (res.status === 200 && from === 0)) &&
    (from === 0 || !prepared.etag || res.etag === prepared.etag) &&
    res.total !== undefined &&
    (prepared.size === undefined || res.total === prepared.size);
  const list = verifier instanceof BlockVerifier ? verifier.list : undefined;
  if (!continues || (list && (res.total !== list.Size || (!!list.ETag && !!res.etag && res.etag !== list.ETag)))) {
    cancel(res);
    throw new ApiFailure(409, 'the background download does not continue what is stored');
  }
  const item: LocalItem = {
    ...prepared,
    size: res.total,
    etag: res.etag ?? prepared.etag,
    contentType: res.contentType ?? prepared.contentType,
  };
  if (item.bytes >= item.size!) return item;
  return consumeWholeBody(ctx, item, res, verifier);
}

/** Checks and stores one chunk with the item's new state. */
async function storeChunk(ctx: DownloadContext, item: LocalItem, verifier: ChunkVerifier, data: Blob, last: boolean): Promise<LocalItem> {
  const next = await checkChunk(ctx, item, verifier, data, last);
  await ctx.storage.writeChunk(next, item.nextChunk, data);
  return next;
}

/**
 * Checks a chunk and returns the item's state once it is stored. A whole-file mismatch condemns every
 * stored chunk (which one is bad cannot be known); a block mismatch only this chunk, which the retry
 * fetches again.
 */
async function checkChunk(ctx: DownloadContext, item: LocalItem, verifier: ChunkVerifier, data: Blob, last: boolean): Promise<LocalItem> {
  let hash: LocalItem['hash'];
  try {
    hash = await verifier.check(item.nextChunk, data, last, item.sha256);
  } catch (err) {
    if (err instanceof IntegrityError && err.chunk === undefined) await ctx.storage.resetMedia(item);
    throw err;
  }
  return {
    ...item,
    nextChunk: item.nextChunk + 1,
    bytes: item.bytes + data.size,
    updatedAt: ctx.clock.now(),
    hash,
    ...(last ? { step: 'extras' as const } : {}),
  };
}

/** Fallback for a 200 to a ranged request from byte 0: cut the streaming body into chunks as it arrives. */
async function consumeWholeBody(ctx: DownloadContext, start: LocalItem, res: FileResponse, verifier: ChunkVerifier): Promise<LocalItem> {
  let item = start;
  const total = item.size!;
  const reader = res.body.getReader();
  let buffer = new Uint8Array(Math.min(item.chunkSize, total - item.bytes));
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
      ctx.onBytes?.(item, item.bytes + fill + value.length);
      while (value.length > 0) {
        const take = Math.min(buffer.length - fill, value.length);
        buffer.set(value.subarray(0, take), fill);
        fill += take;
        value = value.subarray(take);
        if (fill === buffer.length) {
          const last = item.bytes + fill >= total;
          item = await storeChunk(ctx, item, verifier, new Blob([buffer]), last);
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
