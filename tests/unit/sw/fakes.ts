/**
 * In-memory fakes of the sync loop's ports (sw/sync/ports.ts): a server that follows API.md's rules for
 * the calls the loop makes (Ready, Data, Transferred, OfflineActions, ranged File), and a device storage.
 * Builders name the test data (aReadyMovie, anEpisode) so tests read as behaviour.
 */
import { createHash } from 'node:crypto';
import type { BaseItemDto } from '../../../src/shared/api/items';
import type { SyncDataRequest, SyncDataResponse, SyncedItem, UserAction } from '../../../src/shared/api/sync';
import type { LocalItem, OutboxRow, ServerRow } from '../../../sw/db';
import {
  ApiFailure,
  DEFAULT_SETTINGS,
  type ApiPort,
  type BackgroundFetchPort,
  type BlockList,
  type Clock,
  type ControlStoragePort,
  type FileRequestInit,
  type FileResponse,
  type ItemProgress,
  type Notifier,
  type RunSummary,
  type StoragePort,
  type SyncSettings,
} from '../../../sw/sync/ports';

export const SERVER_ID = 'a'.repeat(32);
export const USER_ID = 'b'.repeat(32);
export const DEVICE = 'device-1';

export function bytesOf(size: number, seed = 1): Uint8Array {
  const out = new Uint8Array(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    out[i] = x >>> 16;
  }
  return out;
}

export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

let counter = 0;
function id(): string {
  return (++counter).toString(16).padStart(32, '0');
}

export interface ServerItem {
  ready: SyncedItem;
  file: Uint8Array;
  status: 'ReadyToTransfer' | 'Synced' | 'RemovedFromDevice';
  unwatchedOnly?: boolean;
  played?: boolean;
  etag: string;
}

export function aReadyItem(name: string, size: number, over: Partial<BaseItemDto> = {}, seed = 7): ServerItem {
  const file = bytesOf(size, seed);
  const itemId = id();
  return {
    file,
    status: 'ReadyToTransfer',
    etag: `"${itemId}-${size}"`,
    ready: {
      ServerId: SERVER_ID,
      SyncJobId: 'j'.repeat(32),
      SyncJobName: 'Job',
      SyncJobDateCreated: new Date(0).toISOString(),
      SyncJobItemId: id(),
      OriginalFileName: `${name}.mp4`,
      Item: {
        Id: itemId,
        ServerId: SERVER_ID,
        Name: name,
        Type: 'Movie',
        IsFolder: false,
        MediaType: 'Video',
        ImageTags: {},
        BackdropImageTags: [],
        ...over,
      },
      UserId: USER_ID,
      AdditionalFiles: [],
      Size: size,
      Sha256: sha256Hex(file),
    },
  };
}

/** A fake server following API.md §5.10 (Data), §5.12 (actions, once per Id) and §9.3 (ranges). */
export class FakeServer implements ApiPort {
  readonly serverId = SERVER_ID;
  items: ServerItem[] = [];
  actionsSeen = new Set<string>();
  actionsApplied: UserAction[] = [];
  calls: string[] = [];
  /** `call:userId` for calls made through a CallerView. */
  callers: string[] = [];
  bytesServed = new Map<string, number>();
  /** Fail every call with no answer (status 0). */
  unreachable = false;
  /** Break a File body after this many bytes (once). */
  breakFileAfter?: number;
  /** Answer OfflineActions with this status. */
  actionsStatus = 204;
  /** Items that arrive when an UnwatchedOnly slot frees (API.md §5.3 rolling window). */
  nextUnwatched: ServerItem[] = [];
  /** Change a file's bytes (new ETag) before the next File request. */
  mutateOnNextFile?: ServerItem;
  /** Answer GET …/Blocks (as our server does); false = a server without block digests. */
  offersBlocks = true;
  blockRequests = 0;
  /** Flip a byte in the answers for the range starting at `from`, `times` times (corruption in transit). */
  corrupt?: { jobItemId: string; from: number; times: number };

  private find(jobItemId: string): ServerItem {
    const it = this.items.find((i) => i.ready.SyncJobItemId === jobItemId);
    if (!it) throw new ApiFailure(404, 'unknown job item');
    return it;
  }

  private call(name: string): void {
    this.calls.push(name);
    if (this.unreachable) throw new ApiFailure(0, 'no answer');
  }

  async getOfflineUser(userId: string): Promise<unknown> {
    this.call('offlineUser');
    return { Id: userId };
  }

  async postOfflineActions(actions: UserAction[]): Promise<void> {
    this.call('offlineActions');
    if (this.actionsStatus >= 400) throw new ApiFailure(this.actionsStatus, 'rejected');
    for (const a of actions) {
      if (this.actionsSeen.has(a.Id)) continue;
      this.actionsSeen.add(a.Id);
      this.actionsApplied.push(a);
      const it = this.items.find((i) => i.ready.Item.Id === a.ItemId);
      if (it) it.played = true;
    }
  }

  /**
   * Who may see which library item, for servers shared by several users of one device (CallerView); with it
   * ItemUserAccess lists the OfflineUserIds that see an item. Unset: everyone sees everything, and the
   * access list is USER_ID alone.
   */
  visibleTo?: (userId: string, itemId: string) => boolean;

  /** `sees`: what the caller may see; another user's items hidden from the caller are left alone. */
  async syncData(req: SyncDataRequest, sees: (itemId: string) => boolean = () => true): Promise<SyncDataResponse> {
    this.call('syncData');
    const local = new Set(req.LocalItemIds);
    const remove: string[] = [];
    const kept: string[] = [];
    for (const id of local) {
      const it = this.items.find((i) => i.ready.Item.Id === id && i.status === 'Synced');
      if (it && !sees(id)) continue;
      if (!it) remove.push(id);
      else if (it.unwatchedOnly && it.played) {
        remove.push(id);
        it.status = 'RemovedFromDevice';
        const next = this.nextUnwatched.shift();
        if (next) this.items.push(next);
      } else kept.push(id);
    }
    for (const it of this.items) {
      if (it.status === 'Synced' && !local.has(it.ready.Item.Id) && sees(it.ready.Item.Id)) it.status = 'ReadyToTransfer';
    }
    const visibleTo = this.visibleTo;
    const access = (itemId: string) => (visibleTo ? req.OfflineUserIds.filter((u) => visibleTo(u, itemId)).sort() : [USER_ID]);
    return {
      ItemIdsToRemove: remove,
      ItemUserAccess: Object.fromEntries(kept.map((i) => [i, access(i)])),
    };
  }

  async readyItems(targetId: string, sees: (itemId: string) => boolean = () => true): Promise<SyncedItem[]> {
    this.call('ready');
    if (targetId !== DEVICE) throw new ApiFailure(403, 'not this device');
    return this.items.filter((i) => i.status === 'ReadyToTransfer' && sees(i.ready.Item.Id)).map((i) => i.ready);
  }

  async getItem(_userId: string, itemId: string): Promise<BaseItemDto> {
    this.call('getItem');
    return {
      Id: itemId,
      ServerId: SERVER_ID,
      Name: `parent ${itemId}`,
      Type: 'Series',
      IsFolder: true,
      ImageTags: { Primary: 'p' },
      BackdropImageTags: [],
    };
  }

  async transferred(jobItemId: string): Promise<void> {
    this.call('transferred');
    const it = this.items.find((i) => i.ready.SyncJobItemId === jobItemId);
    if (it && it.status === 'ReadyToTransfer') it.status = 'Synced';
  }

  async markForRemoval(jobItemId: string): Promise<void> {
    this.call('markForRemoval');
    this.items = this.items.filter((i) => i.ready.SyncJobItemId !== jobItemId);
  }

  async fetchFile(
    jobItemId: string,
    start: number,
    end: number | undefined,
    ifRange: string | undefined,
    signal?: AbortSignal,
  ): Promise<FileResponse> {
    this.call('file');
    const it = this.find(jobItemId);
    if (this.mutateOnNextFile === it) {
      it.file = bytesOf(it.file.length, 99);
      it.etag = `"changed-${it.file.length}"`;
      it.ready.Sha256 = sha256Hex(it.file);
      this.mutateOnNextFile = undefined;
    }
    const size = it.file.length;
    let status = 200;
    let from = 0;
    let to = size - 1;
    if ((start > 0 || end !== undefined) && (!ifRange || ifRange === it.etag)) {
      if (start >= size)
        return {
          status: 416,
          start: 0,
          total: size,
          etag: it.etag,
          body: new ReadableStream({ start: (c) => c.close() }),
          blob: async () => new Blob([]),
        };
      status = 206;
      from = start;
      to = Math.min(end ?? size - 1, size - 1);
    }
    let slice = it.file.subarray(from, to + 1);
    if (this.corrupt?.jobItemId === jobItemId && this.corrupt.from === from && this.corrupt.times > 0) {
      this.corrupt.times--;
      slice = slice.slice();
      slice[0] = slice[0]! ^ 0xff;
    }
    const breakAfter = this.breakFileAfter;
    if (breakAfter !== undefined) {
      this.breakFileAfter = undefined;
      slice = slice.subarray(0, Math.max(0, breakAfter));
    }
    const broken = breakAfter !== undefined;
    this.bytesServed.set(jobItemId, (this.bytesServed.get(jobItemId) ?? 0) + slice.length);
    const parts: Uint8Array[] = [];
    for (let i = 0; i < slice.length; i += 1000) parts.push(slice.subarray(i, i + 1000));
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        // As fetch does: an aborted request's body errors with the abort's reason.
        if (signal?.aborted) return c.error(signal.reason);
        const p = parts.shift();
        if (p) c.enqueue(p);
        else if (broken) c.error(new TypeError('network error'));
        else c.close();
      },
    });
    return {
      status,
      start: from,
      total: size,
      etag: it.etag,
      contentType: 'video/mp4',
      body,
      blob: async (onBytes) => {
        if (!onBytes) return new Response(body).blob();
        const reader = body.getReader();
        const got: Uint8Array[] = [];
        let received = 0;
        for (let r = await reader.read(); !r.done; r = await reader.read()) {
          got.push(r.value);
          received += r.value.length;
          onBytes(received);
        }
        return new Blob(got as BlobPart[]);
      },
    };
  }

  fileRequest(jobItemId: string, start: number, ifRange: string | undefined): FileRequestInit {
    const headers: Record<string, string> = {};
    if (start > 0) headers.Range = `bytes=${start}-`;
    if (ifRange) headers['If-Range'] = ifRange;
    return { url: `http://server/Sync/JobItems/${jobItemId}/File?api_key=t`, headers };
  }

  async fetchBlocks(jobItemId: string, blockSize: number): Promise<BlockList | undefined> {
    this.call('blocks');
    this.blockRequests++;
    if (!this.offersBlocks) return undefined;
    const it = this.find(jobItemId);
    const blocks: string[] = [];
    for (let i = 0; i < it.file.length; i += blockSize) blocks.push(sha256Hex(it.file.subarray(i, i + blockSize)));
    return { Size: it.file.length, BlockSize: blockSize, ETag: it.etag, Blocks: blocks };
  }

  async fetchAdditionalFile(_jobItemId: string, name: string): Promise<Blob> {
    this.call('additional');
    return new Blob([`WEBVTT\n\n00:00.000 --> 00:01.000\n${name}\n`], {
      type: 'text/vtt',
    });
  }

  async fetchImage(itemId: string): Promise<Blob | undefined> {
    this.call('image');
    return new Blob([itemId], { type: 'image/jpeg' });
  }
}

/**
 * The fake server as one signed-in user reaches it through a shared device (our server's rule: a DeviceId
 * is not a credential): Items/Ready and Sync/Data cover what this user may see, a file or acknowledgement
 * of an item they may not see is 404, another user's item is theirs to read only as an administrator, and
 * offline actions on items they may not see are skipped. Every call is counted per user in `server.callers`.
 */
export class CallerView implements ApiPort {
  readonly serverId = SERVER_ID;

  constructor(
    readonly server: FakeServer,
    readonly userId: string,
    readonly admin = false,
  ) {}

  /** The token was revoked (or the user deleted): every call is a 401. */
  revoked = false;

  private sees = (itemId: string): boolean => this.admin || (this.server.visibleTo?.(this.userId, itemId) ?? true);

  private called(name: string): void {
    this.server.callers.push(`${name}:${this.userId}`);
    if (this.revoked) throw new ApiFailure(401, 'Unauthorized');
  }

  /** The job item, if this user may reach it; else the server's 404. */
  private reach(jobItemId: string): void {
    const it = this.server.items.find((i) => i.ready.SyncJobItemId === jobItemId);
    if (it && !this.sees(it.ready.Item.Id)) throw new ApiFailure(404, 'Sync job item not found');
  }

  getOfflineUser(userId: string): Promise<unknown> {
    this.called('offlineUser');
    return this.server.getOfflineUser(userId);
  }
  postOfflineActions(actions: UserAction[]): Promise<void> {
    this.called('offlineActions');
    const mine = actions.filter((a) => {
      if (this.sees(a.ItemId)) return true;
      this.server.actionsSeen.add(a.Id); // taken, and skipped: the caller could not reach the item alone
      return false;
    });
    return this.server.postOfflineActions(mine);
  }
  syncData(request: SyncDataRequest): Promise<SyncDataResponse> {
    this.called('syncData');
    return this.server.syncData(request, this.sees);
  }
  readyItems(targetId: string): Promise<SyncedItem[]> {
    this.called('ready');
    return this.server.readyItems(targetId, this.sees);
  }
  async getItem(userId: string, itemId: string): Promise<BaseItemDto> {
    this.called('getItem');
    if (userId !== this.userId && !this.admin) throw new ApiFailure(403, 'You may only act for yourself');
    return this.server.getItem(userId, itemId);
  }
  async transferred(jobItemId: string): Promise<void> {
    this.called('transferred');
    this.reach(jobItemId);
    return this.server.transferred(jobItemId);
  }
  async markForRemoval(jobItemId: string): Promise<void> {
    this.called('markForRemoval');
    const it = this.server.items.find((i) => i.ready.SyncJobItemId === jobItemId);
    if (it && it.ready.UserId !== this.userId && !this.admin) throw new ApiFailure(404, 'Sync job item not found');
    return this.server.markForRemoval(jobItemId);
  }
  async fetchFile(jobItemId: string, start: number, end: number | undefined, ifRange: string | undefined, signal?: AbortSignal) {
    this.called(`file ${jobItemId}`);
    this.reach(jobItemId);
    return this.server.fetchFile(jobItemId, start, end, ifRange, signal);
  }
  fileRequest(jobItemId: string, start: number, ifRange: string | undefined): FileRequestInit {
    return this.server.fileRequest(jobItemId, start, ifRange);
  }
  async fetchBlocks(jobItemId: string, blockSize: number): Promise<BlockList | undefined> {
    this.called('blocks');
    this.reach(jobItemId);
    return this.server.fetchBlocks(jobItemId, blockSize);
  }
  async fetchAdditionalFile(jobItemId: string, name: string): Promise<Blob> {
    this.called('additional');
    this.reach(jobItemId);
    return this.server.fetchAdditionalFile(jobItemId, name);
  }
  async fetchImage(itemId: string): Promise<Blob | undefined> {
    this.called('image');
    return this.server.fetchImage(itemId);
  }
}

export class FakeStorage implements StoragePort {
  servers: ServerRow[] = [
    {
      key: `${SERVER_ID}/${USER_ID}`,
      serverUrl: 'http://server',
      serverId: SERVER_ID,
      userId: USER_ID,
      userName: 'ann',
      token: 't',
      deviceId: DEVICE,
    },
  ];
  items = new Map<string, LocalItem>();
  chunks = new Map<string, Uint8Array>();
  cached = new Map<string, Blob>();
  outboxRows: OutboxRow[] = [];
  runs: Array<{ serverId: string; ok: boolean; error?: string }> = [];
  settingsValue: SyncSettings = {
    ...DEFAULT_SETTINGS,
    chunkSize: 4096,
    backoffMs: 10,
  };
  /** Throw QuotaExceededError once stored chunk bytes would pass this. */
  quotaBytes?: number;

  async settings(): Promise<SyncSettings> {
    return this.settingsValue;
  }
  async listServers(): Promise<ServerRow[]> {
    return this.servers;
  }
  async saveServerUser(): Promise<void> {}
  async listItems(serverId?: string): Promise<LocalItem[]> {
    return [...this.items.values()].filter((i) => !serverId || i.ServerId === serverId).map((i) => structuredClone(i));
  }
  async getItem(id: string): Promise<LocalItem | undefined> {
    const i = this.items.get(id);
    return i && structuredClone(i);
  }
  async putItem(item: LocalItem): Promise<void> {
    this.items.set(item.Id, structuredClone(item));
  }
  storedBytes(): number {
    let n = 0;
    for (const c of this.chunks.values()) n += c.length;
    return n;
  }
  async writeChunk(item: LocalItem, index: number, data: Blob): Promise<void> {
    if (this.quotaBytes !== undefined && this.storedBytes() + data.size > this.quotaBytes) {
      throw Object.assign(new Error('quota'), { name: 'QuotaExceededError' });
    }
    if (!this.items.has(item.Id)) return;
    const bytes = new Uint8Array(await data.arrayBuffer());
    // Re-checked after the await, as the real store re-reads the record inside its transaction.
    if (!this.items.has(item.Id)) return;
    this.chunks.set(`${item.FileId}#${index}`, bytes);
    this.items.set(item.Id, structuredClone(item));
  }
  async readChunk(fileId: string, index: number): Promise<Blob | undefined> {
    this.chunkReads++;
    const data = this.chunks.get(`${fileId}#${index}`);
    return data && new Blob([data.slice()]);
  }
  /** How many chunks were read back (hashing again what is stored). */
  chunkReads = 0;
  chunksOf(fileId: string): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (let i = 0; this.chunks.has(`${fileId}#${i}`); i++) out.push(this.chunks.get(`${fileId}#${i}`)!);
    return out;
  }
  fileOf(fileId: string): Uint8Array {
    return Buffer.concat(this.chunksOf(fileId));
  }
  async resetMedia(item: LocalItem): Promise<LocalItem> {
    for (const k of [...this.chunks.keys()]) if (k.startsWith(`${item.FileId}#`)) this.chunks.delete(k);
    const reset = {
      ...item,
      bytes: 0,
      nextChunk: 0,
      hash: undefined,
      etag: undefined,
    };
    this.items.set(item.Id, structuredClone(reset));
    return reset;
  }
  async removeItem(id: string): Promise<void> {
    const item = this.items.get(id);
    if (!item) return;
    for (const k of [...this.chunks.keys()]) if (k.startsWith(`${item.FileId}#`)) this.chunks.delete(k);
    for (const k of [...this.cached.keys()]) if (k.includes(item.Id)) this.cached.delete(k);
    this.items.delete(id);
    const used = new Set([...this.items.values()].flatMap((i) => i.Images));
    for (const key of item.Images) if (!used.has(key)) this.cached.delete(`/offline/images/${item.ServerId}/${key}`);
  }
  async hasCached(url: string): Promise<boolean> {
    return this.cached.has(url);
  }
  async putCached(url: string, body: Blob): Promise<void> {
    this.cached.set(url, body);
  }
  async outbox(serverId: string): Promise<OutboxRow[]> {
    return this.outboxRows.filter((r) => r.ServerId === serverId);
  }
  async deleteOutbox(ids: string[]): Promise<void> {
    this.outboxRows = this.outboxRows.filter((r) => !ids.includes(r.Id));
  }
  async recordRun(serverId: string, ok: boolean, error?: string): Promise<void> {
    this.runs.push({ serverId, ok, error });
  }
}

/** The storage as the worker's event handlers see it (pause switches, last run, badge). */
export class FakeControlStorage extends FakeStorage implements ControlStoragePort {
  paused = false;
  lastRun?: RunSummary;
  badge = 0;
  async updateItem(id: string, changes: Partial<LocalItem>): Promise<LocalItem | undefined> {
    const item = this.items.get(id);
    if (!item) return undefined;
    this.items.set(id, structuredClone({ ...item, ...changes }));
    return this.getItem(id);
  }
  async sessionFor(serverId: string, userId?: string): Promise<ServerRow | undefined> {
    const sessions = this.servers.filter((s) => s.serverId === serverId && s.token);
    return sessions.find((s) => s.userId === userId) ?? sessions[0];
  }
  async pausedAll(): Promise<boolean> {
    return this.paused;
  }
  async setPausedAll(paused: boolean): Promise<void> {
    this.paused = paused;
  }
  async saveLastRun(summary: RunSummary): Promise<void> {
    this.lastRun = summary;
  }
  async addToBadge(count: number): Promise<number> {
    this.badge += count;
    return this.badge;
  }
}

export class FakeClock implements Clock {
  t = 1_000_000;
  sleeps: number[] = [];
  now(): number {
    return this.t;
  }
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw signal.reason;
    this.sleeps.push(ms);
    this.t += ms;
  }
}

export class RecordingNotifier implements Notifier {
  events: ItemProgress[] = [];
  summaries: RunSummary[] = [];
  removed: string[] = [];
  progress(item: ItemProgress): void {
    this.events.push(item);
  }
  itemRemoved(id: string): void {
    this.removed.push(id);
  }
  runStarted(): void {}
  runFinished(summary: RunSummary): void {
    this.summaries.push(summary);
  }
}

/** The browser's Background Fetch as the loop sees it: records hand-overs, answers state as told. */
export class FakeBackgroundFetch implements BackgroundFetchPort {
  started: Array<{ id: string; request: FileRequestInit; remaining: number }> = [];
  aborted: string[] = [];
  states = new Map<string, 'active' | 'gone'>();
  decline = false;

  async start(item: LocalItem, request: FileRequestInit, remaining: number): Promise<boolean> {
    if (this.decline) return false;
    const id = `stowaway-media:${item.Id}`;
    this.started.push({ id, request, remaining });
    this.states.set(id, 'active');
    return true;
  }
  async state(id: string): Promise<'active' | 'gone'> {
    return this.states.get(id) ?? 'gone';
  }
  async abort(id: string): Promise<void> {
    this.aborted.push(id);
    this.states.set(id, 'gone');
  }
}
