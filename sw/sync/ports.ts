/**
 * The sync loop reaches the world only through these ports (STYLE.md, after Immich's services): the
 * server (ApiPort, one per signed-in server), the device's storage (StoragePort: Dexie + Cache Storage),
 * time (Clock) and the pages (Notifier). The service worker wires the real ones (serverApi.ts,
 * dexieStorage.ts, index.ts); tests/unit/sw gives the loop in-memory fakes and checks its behaviour in
 * milliseconds.
 */
import type { BaseItemDto } from '../../src/shared/api/items';
import type { SyncDataRequest, SyncDataResponse, SyncedItem, UserAction } from '../../src/shared/api/sync';
import type { LocalItem, OutboxRow, ServerRow } from '../db';

/** Why a request failed: `status` 0 is "no answer at all" (offline, refused, reset mid-body). */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }

  get isNetwork(): boolean {
    return this.status === 0;
  }

  /** Worth trying again later: no answer, a server error, or a throttle. */
  get isTransient(): boolean {
    return this.status === 0 || this.status >= 500 || this.status === 429 || this.status === 408;
  }
}

export function isNetworkFailure(err: unknown): boolean {
  return err instanceof ApiFailure && err.isNetwork;
}

/** One media-file answer: the status decides resume (206) or restart (200), the body is streamed. */
export interface FileResponse {
  status: number;
  /** Strong ETag of the bytes, for If-Range on the next resume. */
  etag?: string;
  /** First byte of the body within the file (0 for 200). */
  start: number;
  /** Whole file size, from Content-Range or Content-Length. */
  total?: number;
  contentType?: string;
  /** The body as a stream (the whole-file fallback when a server ignores Range). */
  body: ReadableStream<Uint8Array>;
  /**
   * The whole body as a Blob, for a ranged answer of one chunk; rejects when the connection breaks.
   * `onBytes` hears the bytes received so far as they arrive (so progress moves within a chunk).
   */
  blob(onBytes?: (received: number) => void): Promise<Blob>;
}

/** The server's per-block digests of one file (lowercase hex), valid for the file with this ETag. */
export interface BlockList {
  Size: number;
  BlockSize: number;
  ETag?: string;
  Blocks: string[];
}

export interface ApiPort {
  readonly serverId: string;
  getOfflineUser(userId: string): Promise<unknown>;
  postOfflineActions(actions: UserAction[]): Promise<void>;
  syncData(request: SyncDataRequest): Promise<SyncDataResponse>;
  readyItems(targetId: string): Promise<SyncedItem[]>;
  getItem(userId: string, itemId: string): Promise<BaseItemDto>;
  transferred(syncJobItemId: string): Promise<void>;
  markForRemoval(syncJobItemId: string): Promise<void>;
  /**
   * GET …/File, bytes `start`…`end` (inclusive; end omitted = to the end) with If-Range; throws
   * ApiFailure for statuses other than 200/206/416.
   */
  fetchFile(
    syncJobItemId: string,
    start: number,
    end: number | undefined,
    ifRange: string | undefined,
    signal?: AbortSignal,
  ): Promise<FileResponse>;
  /**
   * SHA-256 of every `blockSize` block of the media file (GET …/Blocks), or undefined when the server does
   * not offer them (an older server, or a block size it refuses): the download then hashes the whole file.
   */
  fetchBlocks(syncJobItemId: string, blockSize: number, signal?: AbortSignal): Promise<BlockList | undefined>;
  /** The media request (URL with credentials, Range from `start`, If-Range) for a fetch the browser makes. */
  fileRequest(syncJobItemId: string, start: number, ifRange: string | undefined): FileRequestInit;
  /** A subtitle sidecar (small: read whole). */
  fetchAdditionalFile(syncJobItemId: string, name: string): Promise<Blob>;
  /** A poster; undefined when the item has none (404). */
  fetchImage(itemId: string, type: string, tag: string | undefined): Promise<Blob | undefined>;
}

/** What a media request carries, for a fetch made outside the loop (Background Fetch). */
export interface FileRequestInit {
  url: string;
  headers: Record<string, string>;
}

/**
 * The browser's Background Fetch (Chromium): it owns a large download with its own progress UI and carries
 * on after the app is closed. Absent where the browser has none.
 */
export interface BackgroundFetchPort {
  /** Hands the rest of the item's media to the browser; false when it declined (then the loop downloads). */
  start(item: LocalItem, request: FileRequestInit, remaining: number, onProgress: (downloaded: number) => void): Promise<boolean>;
  /** `active` while the browser is still fetching; `gone` when finished, failed or forgotten. */
  state(id: string): Promise<'active' | 'gone'>;
  abort(id: string): Promise<void>;
}

export interface SyncSettings {
  /** Bytes per stored chunk (and per Range request) — 4 MiB by default. */
  chunkSize: number;
  /** Items downloading at once. */
  concurrency: number;
  /** Attempts per request before the item is left for the next run. */
  retries: number;
  /** First retry delay; doubles each time. */
  backoffMs: number;
  /** Media with at least this much left goes through Background Fetch where the browser has it. */
  backgroundFetchMinBytes: number;
}

export const DEFAULT_SETTINGS: SyncSettings = {
  chunkSize: 4 * 1024 * 1024,
  concurrency: 2,
  retries: 3,
  backoffMs: 1000,
  backgroundFetchMinBytes: 256 * 1024 * 1024,
};

export interface StoragePort {
  settings(): Promise<SyncSettings>;
  listServers(): Promise<ServerRow[]>;
  saveServerUser(key: string, user: unknown): Promise<void>;
  /**
   * Users of this server who can sign in offline on this device (a verifier is kept) although they are
   * not signed in now: reported in OfflineUserIds too, so their downloads stay visible to them.
   */
  offlineUserIds?(serverId: string): Promise<string[]>;
  listItems(serverId?: string): Promise<LocalItem[]>;
  getItem(id: string): Promise<LocalItem | undefined>;
  putItem(item: LocalItem): Promise<void>;
  /**
   * Stores chunk `item.nextChunk - 1` and the item (bytes, hash state, step) in one transaction, so the
   * record never claims bytes that are not there. May throw a QuotaExceededError.
   */
  writeChunk(item: LocalItem, index: number, data: Blob): Promise<void>;
  /** A stored chunk of a file, to hash again what is stored when a saved hash state cannot be loaded. */
  readChunk(fileId: string, index: number): Promise<Blob | undefined>;
  /** Drops every chunk of the file and resets the item's byte counters (a changed file restarts). */
  resetMedia(item: LocalItem): Promise<LocalItem>;
  /** Frees chunks, subtitles, images no other item uses, and the record. */
  removeItem(id: string): Promise<void>;
  hasCached(url: string): Promise<boolean>;
  putCached(url: string, body: Blob, contentType: string): Promise<void>;
  outbox(serverId: string): Promise<OutboxRow[]>;
  deleteOutbox(ids: string[]): Promise<void>;
  recordRun(serverId: string, ok: boolean, error?: string): Promise<void>;
}

/**
 * What the service worker's event handlers keep besides the catalogue (pause switches, the last run, the
 * badge) and the few record updates they make outside a run. Same store as StoragePort on the device.
 */
export interface ControlStoragePort extends StoragePort {
  /** Changes some fields of a record; the record after the change, or undefined when it is gone. */
  updateItem(id: string, changes: Partial<LocalItem>): Promise<LocalItem | undefined>;
  /**
   * A signed-in session of a server for an item's own calls: `userId`'s when they are signed in here (the
   * server lets a user reach only what they may see themselves), else the first one with a token.
   */
  sessionFor(serverId: string, userId?: string): Promise<ServerRow | undefined>;
  pausedAll(): Promise<boolean>;
  setPausedAll(paused: boolean): Promise<void>;
  saveLastRun(summary: RunSummary): Promise<void>;
  /** Adds `count` to the app badge's number (items downloaded since the person last looked); the new total. */
  addToBadge(count: number): Promise<number>;
}

export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export interface ItemProgress {
  id: string;
  name: string;
  step: LocalItem['step'];
  /** Media bytes on the device: stored and checked, plus those of chunks still arriving. */
  bytes: number;
  size?: number;
  blocked?: LocalItem['blocked'];
  error?: string;
}

/** What pages are told about an item's download. */
export function progressOf(item: LocalItem): ItemProgress {
  return {
    id: item.Id,
    name: item.Item.Name,
    step: item.step,
    bytes: item.bytes,
    size: item.size,
    blocked: item.blocked,
    error: item.error,
  };
}

export interface RunSummary {
  reason: string;
  startedAt: number;
  finishedAt: number;
  servers: number;
  /** Items that became synced in this run. */
  downloaded: number;
  removed: number;
  actionsSent: number;
  quotaExceeded: boolean;
  /** One line per server or item that failed; the others carried on. */
  errors: string[];
  /** True when some server could not be reached: worth a one-off Background Sync. */
  offline: boolean;
  /** Media bytes fetched and stored in this run (items that finished their media step). */
  mediaBytes: number;
  /** Wall time from the first media request to the last media chunk stored in this run, ms. */
  mediaMs: number;
}

export interface Notifier {
  progress(item: ItemProgress): void;
  /** The person removed an item from the device (its record and bytes are gone). */
  itemRemoved(id: string): void;
  runStarted(reason: string): void;
  runFinished(summary: RunSummary): void;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const t = setTimeout(resolve, ms);
      signal?.addEventListener('abort', () => {
        clearTimeout(t);
        reject(signal.reason);
      });
    }),
};

/** DOMException's name in every browser; Dexie wraps it but keeps the name (or `inner.name`). */
export function isQuotaError(err: unknown): boolean {
  const e = err as { name?: string; inner?: { name?: string } } | null;
  return e?.name === 'QuotaExceededError' || e?.inner?.name === 'QuotaExceededError';
}
