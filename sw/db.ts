/**
 * The one Dexie schema, shared by the app (window) and the service worker (README §3 "Storage in the
 * browser"). Versions only ever go up; each new version lists every table again (Dexie's rule) and may
 * carry an upgrade function.
 *
 *   v1 `meta`      small facts: `deviceId` (the sync TargetId), sync settings, the last run's summary
 *   v2 `servers`   the signed-in sessions, mirrored from the page (a service worker cannot read
 *                  localStorage), one row per server + user
 *      `items`     the offline catalogue: one LocalItem per server + job item (API.md §7) with its
 *                  download state (bytes, ETag, running SHA-256 state, chunk size)
 *      `chunks`    media bytes, [fileId+index] → Blob (default 4 MiB), written as they arrive so a
 *                  download resumes with `Range: bytes=N-` from the last whole chunk
 *      `outbox`    offline UserActions waiting for POST /Sync/OfflineActions, each with its own Id
 *      `progress`  per-server outcome of the last sync run (when, what failed), for the app to show
 *   v3 `uploads`   photos and videos waiting for camera upload (picked in the app or shared to the PWA),
 *                  the file itself as a Blob plus the resumable session's id and offset
 *      `credentials` offline sign-in: per server + user a salted PBKDF2-SHA-256 verifier of the password
 *                  (never the password), computed in the page at an online sign-in
 * Posters and subtitles are small and live in Cache Storage (OFFLINE_CACHE) under /offline/… URLs.
 * Must stay free of DOM and WebWorker-only types: it is compiled by both tsconfig.app.json and
 * tsconfig.sw.json.
 */
import Dexie, { type Table } from 'dexie';
import type { BaseItemDto } from '../src/shared/api/items';
import type { ItemFileInfo, UserAction } from '../src/shared/api/sync';

export interface MetaRow {
  key: string;
  value: unknown;
}

/** A session the service worker may use: what the page's session store keeps, minus UI-only fields. */
export interface ServerRow {
  /** `${serverId}/${userId}` */
  key: string;
  serverUrl: string;
  serverId: string;
  userId: string;
  userName: string;
  token: string;
  deviceId: string;
  /** The name the page reports for this browser ("Chrome on Linux"), so both send the same identity. */
  deviceName?: string;
  /** The user's DTO from GET /Users/{id}/Offline, for showing names with no network. */
  user?: unknown;
}

/**
 * Where an item is in the loop. Each step is persisted before the next begins, so a run cut at any point
 * (event time out, tab closed, browser killed) continues at the same step:
 *   media     → bytes are (being) fetched into `chunks`; resumes from `nextChunk`
 *   extras    → media verified; images and subtitles go into Cache Storage
 *   transfer  → everything is on the device; POST …/Transferred is owed
 *   synced    → acknowledged: reported in Sync/Data LocalItemIds, playable offline
 */
export type LocalItemStep = 'media' | 'extras' | 'transfer' | 'synced';

/** Why a download does not move: the person paused it, storage is full, or the last attempt failed. */
export type BlockReason = 'user' | 'quota' | 'error';

/**
 * The running SHA-256 of a download, saved with each chunk: hash-wasm's state bytes and the bytes hashed so
 * far. Records written before the switch to hash-wasm carry `h` (the pure-TypeScript hasher's 8 words) and no `state`;
 * those are not loadable, and the stored chunks are hashed again on resume (sw/sync/downloadManager.ts).
 */
export interface HashState {
  length: number;
  state?: Uint8Array;
  h?: number[];
}

export interface LocalItem {
  /** `${ServerId}_${SyncJobItemId}` (no slash: it travels in /offline/… URL paths) */
  Id: string;
  ServerId: string;
  ItemId: string;
  SyncJobItemId: string;
  SyncJobId: string;
  SyncJobName: string;
  UserId: string;
  Item: BaseItemDto;
  /** Series, season or album of the item, fetched once (GET /Users/{uid}/Items/{id}). */
  Parents: BaseItemDto[];
  OriginalFileName: string;
  /** Key of the media bytes in `chunks` (= Id; a restart after an ETag change keeps the key). */
  FileId: string;
  LocalPath: string;
  UserIdsWithAccess: string[];
  AdditionalFiles: ItemFileInfo[];
  /** Subtitle files stored in Cache Storage (names from AdditionalFiles). */
  Subtitles: ItemFileInfo[];
  /** Image keys stored (`${itemId}/Primary`), so a removal frees only what no other item needs. */
  Images: string[];
  step: LocalItemStep;
  blocked?: BlockReason;
  error?: string;
  attempts: number;
  /** Size and SHA-256 the server announced (API.md §9.4). */
  size?: number;
  sha256?: string;
  etag?: string;
  contentType?: string;
  chunkSize: number;
  /** Chunks 0 … nextChunk-1 are stored; `bytes` = their total. */
  nextChunk: number;
  bytes: number;
  /**
   * How the stored chunks were checked: each against the server's block digest (`blocks`, the default),
   * or through a running whole-file SHA-256 (`stream`, for a server without block digests) whose state is
   * `hash`. Absent on records from before block digests: treated as `stream`.
   */
  verifiedBy?: 'blocks' | 'stream';
  /**
   * The rest of the media is being fetched by the browser (Background Fetch, `id`), from byte `from`; the
   * success event stores it as chunks. While set, the sync loop leaves the item alone.
   */
  backgroundFetch?: { id: string; from: number; startedAt: number };
  /** A Background Fetch of this item failed: the loop downloads it itself until then (ms since epoch). */
  backgroundFetchRetryAt?: number;
  hash?: HashState;
  /** Offline resume position, seconds. */
  position?: number;
  addedAt: number;
  updatedAt: number;
}

export interface ChunkRow {
  fileId: string;
  index: number;
  /**
   * The chunk's bytes. New chunks are the Blob of the Range answer itself, so the bytes go from the network
   * into IndexedDB without a copy through the worker's heap, and the player reads slices of them; chunks
   * stored by earlier versions are ArrayBuffers. Readers accept both.
   */
  data: Blob | ArrayBuffer;
}

export interface OutboxRow extends UserAction {
  /** Set when a send failed for a reason worth showing. */
  lastError?: string;
}

export interface ProgressRow {
  serverId: string;
  lastRunAt: number;
  ok: boolean;
  error?: string;
}

/** One file queued for camera upload. */
export type UploadState = 'queued' | 'uploading' | 'done' | 'failed';

export interface UploadRow {
  id: string;
  name: string;
  size: number;
  type: string;
  lastModified: number;
  blob: Blob;
  addedAt: number;
  /** How it got here: the picker in the app, or the system share sheet (Web Share Target). */
  source: 'picker' | 'share';
  state: UploadState;
  /** `${serverId}/${userId}` it went (or goes) to, once started. */
  serverKey?: string;
  uploadId?: string;
  offset: number;
  /** SHA-256 when computed up front (small files); the server checks and dedupes with it. */
  sha256?: string;
  duplicate?: boolean;
  error?: string;
  attempts: number;
}

/** Camera upload settings, written by the app, read by the service worker. */
export interface UploadSettings {
  enabled: boolean;
  wifiOnly: boolean;
  /** `${serverId}/${userId}` of the session that receives uploads; the first session when unset. */
  serverKey?: string;
  /** Bytes per PUT (tests make it small). */
  chunkSize: number;
}

export const DEFAULT_UPLOAD_SETTINGS: UploadSettings = { enabled: true, wifiOnly: false, chunkSize: 4 * 1024 * 1024 };

export interface CredentialRow {
  /** `${serverId}/${userId}` */
  key: string;
  serverUrl: string;
  serverId: string;
  userId: string;
  userName: string;
  /** base64 salt and PBKDF2-SHA-256 output; `iterations` kept so it can grow later. */
  salt: string;
  verifier: string;
  iterations: number;
  deviceId: string;
}

export const DB_NAME = 'stowaway';
/** Cache Storage name for posters and subtitles (small files), keyed by their /offline/… URL. */
export const OFFLINE_CACHE = 'stowaway-offline-v1';
/** Where the service worker announces progress and finished runs to every open page. */
export const SYNC_CHANNEL = 'stowaway-sync';

export class StowawayDb extends Dexie {
  meta!: Table<MetaRow, string>;
  servers!: Table<ServerRow, string>;
  items!: Table<LocalItem, string>;
  chunks!: Table<ChunkRow, [string, number]>;
  outbox!: Table<OutboxRow, string>;
  progress!: Table<ProgressRow, string>;
  uploads!: Table<UploadRow, string>;
  credentials!: Table<CredentialRow, string>;

  constructor(name = DB_NAME) {
    super(name);
    this.version(1).stores({ meta: 'key' });
    this.version(2).stores({
      meta: 'key',
      servers: 'key, serverId',
      items: 'Id, ServerId, ItemId, SyncJobItemId, SyncJobId, step, [ServerId+ItemId]',
      chunks: '[fileId+index], fileId',
      outbox: 'Id, ServerId, Date',
      progress: 'serverId',
    });
    this.version(3).stores({
      meta: 'key',
      servers: 'key, serverId',
      items: 'Id, ServerId, ItemId, SyncJobItemId, SyncJobId, step, [ServerId+ItemId]',
      chunks: '[fileId+index], fileId',
      outbox: 'Id, ServerId, Date',
      progress: 'serverId',
      uploads: 'id, state, addedAt',
      credentials: 'key, serverUrl, userName',
    });
  }
}

let shared: StowawayDb | undefined;

/** Opened lazily: a page that never touches storage (or a browser without IndexedDB) pays nothing. */
export function openDb(): StowawayDb {
  shared ??= new StowawayDb();
  return shared;
}

export async function readMeta<T>(key: string): Promise<T | undefined> {
  const row = await openDb().meta.get(key);
  return row?.value as T | undefined;
}

export async function writeMeta(key: string, value: unknown): Promise<void> {
  await openDb().meta.put({ key, value });
}

/** Images and subtitles are addressed by these URLs in Cache Storage and through the service worker. */
export function offlineImageUrl(serverId: string, itemId: string, type = 'Primary'): string {
  return `/offline/images/${encodeURIComponent(serverId)}/${encodeURIComponent(itemId)}/${type}`;
}

export function offlineSubtitleUrl(localId: string, name: string): string {
  return `/offline/subtitles/${encodeURIComponent(localId)}/${encodeURIComponent(name)}`;
}

export function offlineMediaUrl(localId: string): string {
  return `/offline/media/${encodeURIComponent(localId)}`;
}
