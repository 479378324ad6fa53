/**
 * The client sync loop (API.md §7), one implementation for every trigger: app open and the foreground
 * timer, a push relayed by the page, one-off and periodic Background Sync, and "Sync now".
 *
 * Per signed-in server in turn (a failing server never stops the others):
 *   0. GET /Users/{id}/Offline for each user of the server stored here
 *   1. POST …/Transferred for items finished but not yet acknowledged (step `transfer`)
 *   2. POST /Sync/OfflineActions (by Date); dropped on 2xx/4xx, kept on no answer / 5xx
 *   3. POST /Sync/Data with the items held completely and acknowledged; remove ItemIdsToRemove
 *   4. GET /Sync/Items/Ready; record new items, drop unfinished ones the server no longer offers
 *      (cancelled), then download with bounded concurrency: media → images + subtitles → Transferred
 *   5. POST /Sync/Data again (so an UnwatchedOnly slot freed in 3 is refilled on the next run)
 * Every step's outcome is stored before the next begins (LocalItem.step), so a run cut anywhere resumes
 * exactly there; a failing item is recorded and the others carry on.
 */
import type { BaseItemDto } from '../../src/shared/api/items';
import type { SyncedItem } from '../../src/shared/api/sync';
import { offlineImageUrl, offlineSubtitleUrl, type LocalItem, type ServerRow } from '../db';
import { BACKGROUND_FETCH_PREFIX } from './backgroundFetchId';
import { downloadMediaWithRetries, PausedError } from './downloadManager';
import {
  ApiFailure,
  isNetworkFailure,
  isQuotaError,
  progressOf,
  type ApiPort,
  type BackgroundFetchPort,
  type Clock,
  type Notifier,
  type RunSummary,
  type StoragePort,
  type SyncSettings,
} from './ports';

export interface SyncLoopDeps {
  storage: StoragePort;
  apiFor(session: ServerRow): ApiPort;
  clock: Clock;
  notifier: Notifier;
  /** The person paused this item (or everything) while it downloads. */
  isPaused?: (localId: string) => boolean;
  /** Where the browser has Background Fetch: large media goes through it (see backgroundFetch.ts). */
  backgroundFetch?: BackgroundFetchPort;
  /** A page shows progress now: bytes are then counted as they arrive (see DownloadContext.watched). */
  watched?: () => Promise<boolean>;
}

export interface RunOptions {
  reason: string;
  /** Aborted when the event's time is up or the person pauses everything. */
  signal?: AbortSignal;
  /** Explicit runs ("Sync now", resume) retry downloads that stopped on a full disk. */
  retryQuota?: boolean;
  /** False while the person has paused all downloads: the rest of the loop still runs. */
  downloads?: boolean;
}

export const QUOTA_MESSAGE =
  'Storage is full: downloads are paused. Everything already downloaded is kept. Free some space (remove items on this device) and press "Sync now".';

function errorText(err: unknown): string {
  if (isQuotaError(err)) return QUOTA_MESSAGE;
  if (err instanceof ApiFailure) return err.status ? `HTTP ${err.status}: ${err.message}` : err.message;
  return (err as Error)?.message ?? String(err);
}

/** Groups sessions by server: target-scoped calls use the first session; all users are reported. */
function byServer(sessions: ServerRow[]): ServerRow[][] {
  const groups = new Map<string, ServerRow[]>();
  for (const s of sessions) {
    if (!s.token) continue; // no token → skip (API.md §7)
    const list = groups.get(s.serverId) ?? [];
    list.push(s);
    groups.set(s.serverId, list);
  }
  return [...groups.values()];
}

export function newLocalItem(ready: SyncedItem, serverId: string, chunkSize: number, now: number): LocalItem {
  const id = `${serverId}_${ready.SyncJobItemId}`;
  return {
    Id: id,
    ServerId: serverId,
    ItemId: ready.Item.Id,
    SyncJobItemId: ready.SyncJobItemId,
    SyncJobId: ready.SyncJobId,
    SyncJobName: ready.SyncJobName,
    UserId: ready.UserId,
    Item: ready.Item,
    Parents: [],
    OriginalFileName: ready.OriginalFileName,
    FileId: id,
    LocalPath: `/offline/media/${id}`,
    UserIdsWithAccess: [ready.UserId],
    AdditionalFiles: ready.AdditionalFiles ?? [],
    Subtitles: [],
    Images: [],
    step: 'media',
    attempts: 0,
    size: ready.Size,
    sha256: ready.Sha256,
    chunkSize,
    nextChunk: 0,
    bytes: 0,
    addedAt: now,
    updatedAt: now,
  };
}

/** Subtitle files worth storing: those whose Index matches a Subtitle stream of the item's media source. */
export function wantedSubtitles(item: LocalItem): LocalItem['AdditionalFiles'] {
  const streams = item.Item.MediaSources?.[0]?.MediaStreams ?? [];
  const indexes = new Set(streams.filter((s) => s.Type === 'Subtitle').map((s) => s.Index));
  return item.AdditionalFiles.filter((f) => f.Type === 'Subtitles' && indexes.has(f.Index));
}

/** Primary images to keep: the item's, its series', season's and album's (API.md §7 step 4). */
export function wantedImages(item: LocalItem): Array<{ itemId: string; tag?: string }> {
  const out = new Map<string, string | undefined>();
  const it = item.Item;
  if (it.ImageTags?.Primary) out.set(it.Id, it.ImageTags.Primary);
  if (it.SeriesId && it.SeriesPrimaryImageTag) out.set(it.SeriesId, it.SeriesPrimaryImageTag);
  if (it.AlbumId && it.AlbumPrimaryImageTag) out.set(it.AlbumId, it.AlbumPrimaryImageTag);
  for (const p of item.Parents) if (p.ImageTags?.Primary) out.set(p.Id, p.ImageTags.Primary);
  return [...out].map(([itemId, tag]) => ({ itemId, tag }));
}

export class SyncLoop {
  constructor(private readonly deps: SyncLoopDeps) {}

  async run(options: RunOptions): Promise<RunSummary> {
    const { storage, clock, notifier } = this.deps;
    const summary: RunSummary = {
      reason: options.reason,
      startedAt: clock.now(),
      finishedAt: 0,
      servers: 0,
      downloaded: 0,
      removed: 0,
      actionsSent: 0,
      quotaExceeded: false,
      errors: [],
      offline: false,
      mediaBytes: 0,
      mediaMs: 0,
    };
    this.mediaWindow = undefined;
    notifier.runStarted(options.reason);
    const settings = await storage.settings();
    const groups = byServer(await storage.listServers());
    summary.servers = groups.length;
    for (const sessions of groups) {
      if (options.signal?.aborted) break;
      const serverId = sessions[0]!.serverId;
      try {
        await this.syncServer(sessions, settings, options, summary);
        await storage.recordRun(serverId, true);
      } catch (err) {
        if (isNetworkFailure(err)) summary.offline = true;
        const text = errorText(err);
        summary.errors.push(`${sessions[0]!.serverUrl}: ${text}`);
        await storage.recordRun(serverId, false, text).catch(() => {});
      }
    }
    summary.finishedAt = clock.now();
    notifier.runFinished(summary);
    return summary;
  }

  private async syncServer(sessions: ServerRow[], settings: SyncSettings, options: RunOptions, summary: RunSummary): Promise<void> {
    const { storage } = this.deps;
    const device = sessions[0]!;
    const api = this.deps.apiFor(device);
    const serverId = device.serverId;
    const userIds = [...new Set([...sessions.map((s) => s.userId), ...((await storage.offlineUserIds?.(serverId)) ?? [])])];

    // 0. Users for offline use. No answer at all means the server is out of reach: stop here.
    for (const s of sessions) {
      try {
        await storage.saveServerUser(s.key, await this.deps.apiFor(s).getOfflineUser(s.userId));
      } catch (err) {
        if (isNetworkFailure(err)) throw err;
      }
    }

    // 1. Acknowledge what finished since the last run.
    for (const item of await storage.listItems(serverId)) {
      if (item.step === 'transfer') await this.acknowledge(api, item, summary);
    }

    // 2. Offline actions, oldest first; each carries its own Id, so a repeat is ignored by the server.
    const actions = (await storage.outbox(serverId)).sort((a, b) => a.Date.localeCompare(b.Date));
    if (actions.length > 0) {
      try {
        await api.postOfflineActions(actions.map(({ lastError: _e, ...action }) => action));
        await storage.deleteOutbox(actions.map((a) => a.Id));
        summary.actionsSent += actions.length;
      } catch (err) {
        if (isNetworkFailure(err)) throw err;
        if (err instanceof ApiFailure && err.status < 500) await storage.deleteOutbox(actions.map((a) => a.Id));
        summary.errors.push(`offline actions: ${errorText(err)}`);
      }
    }

    // 3. What is on the device; act on removals.
    await this.reconcile(api, device, userIds, summary);

    // 4. What is ready for us.
    const ready = await api.readyItems(device.deviceId);
    const queue = await this.plan(api, serverId, ready, settings, summary);
    if (options.downloads !== false) await this.downloadAll(api, queue, settings, options, summary);

    // 5. Tell the server again, now with what arrived.
    await this.reconcile(api, device, userIds, summary);
  }

  private async acknowledge(api: ApiPort, item: LocalItem, summary: RunSummary): Promise<void> {
    await api.transferred(item.SyncJobItemId);
    await this.deps.storage.putItem({
      ...item,
      step: 'synced',
      error: undefined,
      blocked: undefined,
      updatedAt: this.deps.clock.now(),
    });
    summary.downloaded++;
    this.report({ ...item, step: 'synced' });
  }

  private async reconcile(api: ApiPort, device: ServerRow, userIds: string[], summary: RunSummary): Promise<void> {
    const { storage } = this.deps;
    const synced = (await storage.listItems(device.serverId)).filter((i) => i.step === 'synced');
    const local = [...new Set(synced.map((i) => i.ItemId))];
    const res = await api.syncData({
      TargetId: device.deviceId,
      LocalItemIds: local,
      OfflineUserIds: userIds,
    });
    const remove = new Set(res.ItemIdsToRemove ?? []);
    for (const item of synced) {
      if (remove.has(item.ItemId)) {
        await storage.removeItem(item.Id);
        summary.removed++;
        this.deps.notifier.progress({
          id: item.Id,
          name: item.Item.Name,
          step: 'synced',
          bytes: 0,
          blocked: undefined,
          error: 'removed',
        });
      } else {
        const access = res.ItemUserAccess?.[item.ItemId];
        if (access && access.join() !== item.UserIdsWithAccess.join()) await storage.putItem({ ...item, UserIdsWithAccess: access });
      }
    }
  }

  /** Records new ready items, drops unfinished items the server stopped offering, returns the work list. */
  private async plan(
    api: ApiPort,
    serverId: string,
    ready: SyncedItem[],
    settings: SyncSettings,
    summary: RunSummary,
  ): Promise<LocalItem[]> {
    const { storage, clock } = this.deps;
    const local = await storage.listItems(serverId);
    const byJobItem = new Map(local.map((i) => [i.SyncJobItemId, i]));
    const readyIds = new Set(ready.map((r) => r.SyncJobItemId));
    for (const item of local) {
      // Not offered any more and not finished: its job or item was cancelled on the server.
      if (item.step !== 'synced' && !readyIds.has(item.SyncJobItemId)) {
        await this.stopBackgroundFetch(item);
        await storage.removeItem(item.Id);
        summary.removed++;
      }
    }
    const work: LocalItem[] = [];
    for (const r of ready) {
      let item = byJobItem.get(r.SyncJobItemId);
      if (!item) {
        item = newLocalItem(r, serverId, settings.chunkSize, clock.now());
        item.Parents = await this.parentsOf(api, r.UserId, r.Item);
        await storage.putItem(item);
      } else if (item.step === 'synced') {
        // Offered again although we hold it: the server re-queued it (file changed) or missed our ack.
        const changed = (r.Sha256 && item.sha256 && r.Sha256 !== item.sha256) || (r.Size !== undefined && r.Size !== item.size);
        item = changed
          ? await storage.resetMedia({
              ...item,
              step: 'media',
              size: r.Size,
              sha256: r.Sha256,
              Item: r.Item,
              AdditionalFiles: r.AdditionalFiles,
            })
          : { ...item, step: 'transfer' };
        await storage.putItem(item);
      } else if ((r.Sha256 && r.Sha256 !== item.sha256) || (r.Size !== undefined && r.Size !== item.size && item.bytes === 0)) {
        // Re-converted since we started: the new file replaces whatever we had of the old one.
        await this.stopBackgroundFetch(item);
        item = await storage.resetMedia({
          ...item,
          backgroundFetch: undefined,
          size: r.Size,
          sha256: r.Sha256,
          Item: r.Item,
          AdditionalFiles: r.AdditionalFiles,
        });
      }
      work.push(item);
    }
    return work;
  }

  private async parentsOf(api: ApiPort, userId: string, item: BaseItemDto): Promise<BaseItemDto[]> {
    const ids = [item.SeriesId, item.SeasonId, item.AlbumId].filter((x): x is string => !!x);
    const out: BaseItemDto[] = [];
    for (const id of ids) {
      try {
        out.push(await api.getItem(userId, id));
      } catch (err) {
        if (isNetworkFailure(err)) throw err; // parents are nice to have; no answer is not
      }
    }
    return out;
  }

  private async downloadAll(
    api: ApiPort,
    work: LocalItem[],
    settings: SyncSettings,
    options: RunOptions,
    summary: RunSummary,
  ): Promise<void> {
    const { storage } = this.deps;
    const quota = new AbortController();
    const signal = options.signal ? anySignal([options.signal, quota.signal]) : quota.signal;
    let next = 0;
    let unreachable: unknown;
    const worker = async () => {
      while (next < work.length && !signal.aborted && !unreachable) {
        const queued = work[next++]!;
        const item = (await storage.getItem(queued.Id)) ?? queued;
        if (item.step === 'synced') continue;
        if (item.blocked === 'user') continue;
        if (item.blocked === 'quota' && !options.retryQuota) continue;
        if (this.deps.isPaused?.(item.Id)) continue;
        try {
          await this.complete(api, item, settings, signal, summary);
        } catch (err) {
          if (err instanceof PausedError) {
            // Pages last heard bytes arriving: tell them what is stored, and that it is paused.
            const stored = await storage.getItem(item.Id);
            // The pause message may not be stored yet: say paused whatever order the two arrive in.
            if (stored) this.report({ ...stored, blocked: this.deps.isPaused?.(item.Id) ? 'user' : stored.blocked });
            continue;
          }
          const latest = (await storage.getItem(item.Id)) ?? item;
          if (signal.aborted && !isQuotaError(err)) return; // paused or out of time: resumes from the stored chunks
          if (isQuotaError(err)) {
            summary.quotaExceeded = true;
            quota.abort(err);
          }
          if (isNetworkFailure(err)) unreachable = err;
          await storage.putItem({
            ...latest,
            blocked: isQuotaError(err) ? 'quota' : 'error',
            error: errorText(err),
            attempts: latest.attempts + 1,
            updatedAt: this.deps.clock.now(),
          });
          this.report({
            ...latest,
            blocked: isQuotaError(err) ? 'quota' : 'error',
            error: errorText(err),
          });
          if (!isQuotaError(err) && !isNetworkFailure(err)) summary.errors.push(`${item.Item.Name}: ${errorText(err)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, settings.concurrency) }, worker));
    if (summary.quotaExceeded) summary.errors.push(QUOTA_MESSAGE);
    if (unreachable) throw unreachable;
  }

  /** One item through its remaining steps: media → extras → transfer → synced. */
  private async complete(api: ApiPort, start: LocalItem, settings: SyncSettings, signal: AbortSignal, summary: RunSummary): Promise<void> {
    const { storage, clock } = this.deps;
    let item: LocalItem = { ...start, blocked: undefined, error: undefined };
    if (item.step === 'media') {
      const browser = await this.handToBrowser(api, item, settings);
      if (browser.handed) return;
      item = browser.item;
    }
    if (item.step === 'media') {
      this.report(item);
      const started = clock.now();
      const bytesBefore = item.bytes;
      const isPaused = this.deps.isPaused ? () => this.deps.isPaused!(item.Id) : undefined;
      // Its own abort, so a pause or removal stops this download now, not after its chunk (stopItem).
      const own = new AbortController();
      this.downloads.set(item.Id, own);
      try {
        item = await downloadMediaWithRetries(
          {
            api,
            storage,
            clock,
            settings,
            signal: anySignal([signal, own.signal]),
            isPaused,
            watched: this.deps.watched,
            // Bytes as they arrive (the notifier throttles): the stored count alone moves once per chunk.
            onBytes: (i, received) => {
              if (!isPaused?.()) this.deps.notifier.progress({ ...progressOf(i), bytes: received });
            },
          },
          item,
        );
      } finally {
        this.downloads.delete(item.Id);
      }
      this.countMedia(summary, started, item.bytes - bytesBefore);
    }
    if (item.step === 'extras') {
      item = await this.storeExtras(api, item);
      item = { ...item, step: 'transfer', updatedAt: clock.now() };
      await storage.putItem(item);
    }
    if (item.step === 'transfer') await this.acknowledge(api, item, summary);
  }

  /** Downloads in flight, by item: a pause or removal aborts the request in hand. */
  private readonly downloads = new Map<string, AbortController>();

  /**
   * Stops an item's download at once (the person paused or removed it): the chunk in flight is dropped,
   * what is stored stays, and a resume asks again from the last whole chunk. No id: every download.
   */
  stopDownload(id?: string): void {
    for (const [itemId, controller] of this.downloads) if (id === undefined || itemId === id) controller.abort(new PausedError());
  }

  private async storeExtras(api: ApiPort, item: LocalItem): Promise<LocalItem> {
    const { storage } = this.deps;
    const images: string[] = [];
    for (const { itemId, tag } of wantedImages(item)) {
      const url = offlineImageUrl(item.ServerId, itemId);
      if (!(await storage.hasCached(url))) {
        const blob = await api.fetchImage(itemId, 'Primary', tag);
        if (!blob) continue;
        await storage.putCached(url, blob, blob.type || 'image/jpeg');
      }
      images.push(`${itemId}/Primary`);
    }
    const subtitles: LocalItem['Subtitles'] = [];
    for (const file of wantedSubtitles(item)) {
      const url = offlineSubtitleUrl(item.Id, file.Name);
      if (!(await storage.hasCached(url))) {
        const blob = await api.fetchAdditionalFile(item.SyncJobItemId, file.Name);
        await storage.putCached(url, blob, 'text/vtt; charset=utf-8');
      }
      subtitles.push(file);
    }
    return { ...item, Images: images, Subtitles: subtitles };
  }

  /**
   * Whether the browser fetches this item's media (Background Fetch): one already running is left
   * alone; a large remainder is handed over now. A hand-over that finished, failed or was forgotten without
   * being stored is cleared, and the loop downloads what is still missing.
   */
  private async handToBrowser(api: ApiPort, start: LocalItem, settings: SyncSettings): Promise<{ handed: boolean; item: LocalItem }> {
    const browser = this.deps.backgroundFetch;
    if (!browser) return { handed: false, item: start };
    const { storage, clock } = this.deps;
    let item = start;
    if (item.backgroundFetch) {
      if ((await browser.state(item.backgroundFetch.id)) === 'active') {
        this.report(item);
        return { handed: true, item };
      }
      item = { ...item, backgroundFetch: undefined };
      await storage.putItem(item);
      return { handed: false, item };
    }
    const remaining = item.size === undefined ? 0 : item.size - item.bytes;
    if (remaining < settings.backgroundFetchMinBytes) return { handed: false, item };
    // It failed lately: hand it over again now and a failing server would bounce it in a tight circle.
    if ((item.backgroundFetchRetryAt ?? 0) > clock.now()) return { handed: false, item };
    const request = api.fileRequest(item.SyncJobItemId, item.bytes, item.bytes > 0 ? item.etag : undefined);
    const from = item.bytes;
    const id = `${BACKGROUND_FETCH_PREFIX}${item.Id}`;
    const started = await browser.start(item, request, remaining, (downloaded) => this.report({ ...item, bytes: from + downloaded }));
    if (!started) return { handed: false, item };
    item = { ...item, backgroundFetch: { id, from, startedAt: clock.now() } };
    await storage.putItem(item);
    this.report(item);
    return { handed: true, item };
  }

  private async stopBackgroundFetch(item: LocalItem): Promise<void> {
    if (item.backgroundFetch) await this.deps.backgroundFetch?.abort(item.backgroundFetch.id);
  }

  /** First media request → last media chunk of this run; concurrent items overlap inside it. */
  private mediaWindow?: { from: number; to: number };
  private countMedia(summary: RunSummary, started: number, bytes: number): void {
    const now = this.deps.clock.now();
    this.mediaWindow = { from: Math.min(this.mediaWindow?.from ?? started, started), to: now };
    summary.mediaBytes += Math.max(0, bytes);
    summary.mediaMs = this.mediaWindow.to - this.mediaWindow.from;
  }

  private report(item: LocalItem): void {
    this.deps.notifier.progress(progressOf(item));
  }
}

/** AbortSignal.any is recent (Chromium 116, Safari 17.4); this covers the rest. */
function anySignal(signals: AbortSignal[]): AbortSignal {
  const controller = new AbortController();
  for (const s of signals) {
    if (s.aborted) {
      controller.abort(s.reason);
      break;
    }
    s.addEventListener('abort', () => controller.abort(s.reason), {
      once: true,
    });
  }
  return controller.signal;
}
