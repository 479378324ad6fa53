/**
 * The storage ports on the real device: Dexie (IndexedDB) for records, media chunks and the handlers'
 * small facts (`meta`), Cache Storage for posters and subtitles. Test-only behaviour (a simulated quota)
 * is a decorator in testHooks.ts that production builds leave out.
 */
import { OFFLINE_CACHE, offlineSubtitleUrl, openDb, type LocalItem, type OutboxRow, type ServerRow, type StowawayDb } from '../db';
import { DEFAULT_SETTINGS, type ControlStoragePort, type RunSummary, type SyncSettings } from './ports';

const SETTINGS_KEY = 'syncSettings';

export class DexieStorage implements ControlStoragePort {
  constructor(readonly db: StowawayDb = openDb()) {}

  async settings(): Promise<SyncSettings> {
    const row = await this.db.meta.get(SETTINGS_KEY);
    return {
      ...DEFAULT_SETTINGS,
      ...((row?.value as Partial<SyncSettings> | undefined) ?? {}),
    };
  }

  /** Changes some download settings; the others keep their stored (or default) values. */
  async updateSettings(changes: Partial<SyncSettings>): Promise<void> {
    await this.db.transaction('rw', this.db.meta, async () => {
      const before = ((await this.db.meta.get(SETTINGS_KEY))?.value as Partial<SyncSettings> | undefined) ?? {};
      await this.db.meta.put({ key: SETTINGS_KEY, value: { ...before, ...changes } });
    });
  }

  /** A small fact kept in `meta` by key. */
  async fact<T>(key: string): Promise<T | undefined> {
    return (await this.db.meta.get(key))?.value as T | undefined;
  }

  /** Keeps a small fact in `meta`; undefined removes it. */
  async setFact(key: string, value: unknown): Promise<void> {
    if (value === undefined) await this.db.meta.delete(key);
    else await this.db.meta.put({ key, value });
  }

  listServers(): Promise<ServerRow[]> {
    return this.db.servers.toArray();
  }

  async offlineUserIds(serverId: string): Promise<string[]> {
    const rows = await this.db.credentials.toArray();
    return rows.filter((r) => r.serverId === serverId).map((r) => r.userId);
  }

  async saveServerUser(key: string, user: unknown): Promise<void> {
    await this.db.servers.update(key, { user });
  }

  listItems(serverId?: string): Promise<LocalItem[]> {
    return serverId ? this.db.items.where('ServerId').equals(serverId).toArray() : this.db.items.toArray();
  }

  getItem(id: string): Promise<LocalItem | undefined> {
    return this.db.items.get(id);
  }

  async putItem(item: LocalItem): Promise<void> {
    await this.db.items.put(item);
  }

  async writeChunk(item: LocalItem, index: number, data: Blob): Promise<void> {
    await this.db.transaction('rw', this.db.chunks, this.db.items, async () => {
      const current = await this.db.items.get(item.Id);
      // Removed or paused-and-reset while this chunk was in flight: do not resurrect it.
      if (!current) return;
      await this.db.chunks.put({ fileId: item.FileId, index, data });
      await this.db.items.put({
        ...item,
        blocked: current.blocked === 'user' ? 'user' : item.blocked,
      });
    });
  }

  async readChunk(fileId: string, index: number): Promise<Blob | undefined> {
    const data = (await this.db.chunks.get([fileId, index]))?.data;
    return data === undefined || data instanceof Blob ? data : new Blob([data]);
  }

  async resetMedia(item: LocalItem): Promise<LocalItem> {
    const reset: LocalItem = {
      ...item,
      bytes: 0,
      nextChunk: 0,
      hash: undefined,
      etag: undefined,
    };
    await this.db.transaction('rw', this.db.chunks, this.db.items, async () => {
      await this.db.chunks.where('fileId').equals(item.FileId).delete();
      await this.db.items.put(reset);
    });
    return reset;
  }

  async removeItem(id: string): Promise<void> {
    const item = await this.db.items.get(id);
    if (!item) return;
    await this.db.transaction('rw', this.db.chunks, this.db.items, async () => {
      await this.db.chunks.where('fileId').equals(item.FileId).delete();
      await this.db.items.delete(id);
    });
    if (typeof caches === 'undefined') return;
    const cache = await caches.open(OFFLINE_CACHE);
    for (const file of item.AdditionalFiles) await cache.delete(offlineSubtitleUrl(item.Id, file.Name));
    // Posters are shared (a series poster serves every episode): free only those nothing else holds.
    const stillUsed = new Set((await this.db.items.where('ServerId').equals(item.ServerId).toArray()).flatMap((i) => i.Images));
    for (const key of item.Images) {
      if (stillUsed.has(key)) continue;
      const [itemId, type] = key.split('/');
      await cache.delete(`/offline/images/${encodeURIComponent(item.ServerId)}/${encodeURIComponent(itemId!)}/${type}`);
    }
  }

  async hasCached(url: string): Promise<boolean> {
    return !!(await (await caches.open(OFFLINE_CACHE)).match(url));
  }

  async putCached(url: string, body: Blob, contentType: string): Promise<void> {
    const cache = await caches.open(OFFLINE_CACHE);
    await cache.put(
      url,
      new Response(body, {
        headers: {
          'Content-Type': contentType,
          'Content-Length': String(body.size),
        },
      }),
    );
  }

  outbox(serverId: string): Promise<OutboxRow[]> {
    return this.db.outbox.where('ServerId').equals(serverId).toArray();
  }

  async deleteOutbox(ids: string[]): Promise<void> {
    await this.db.outbox.bulkDelete(ids);
  }

  async recordRun(serverId: string, ok: boolean, error?: string): Promise<void> {
    await this.db.progress.put({ serverId, lastRunAt: Date.now(), ok, error });
  }

  async updateItem(id: string, changes: Partial<LocalItem>): Promise<LocalItem | undefined> {
    await this.db.items.update(id, changes);
    return this.db.items.get(id);
  }

  async sessionFor(serverId: string, userId?: string): Promise<ServerRow | undefined> {
    const sessions = (await this.db.servers.where('serverId').equals(serverId).toArray()).filter((s) => s.token);
    return sessions.find((s) => s.userId === userId) ?? sessions[0];
  }

  async pausedAll(): Promise<boolean> {
    return ((await this.db.meta.get('pausedAll'))?.value as boolean | undefined) ?? false;
  }

  async setPausedAll(paused: boolean): Promise<void> {
    await this.db.meta.put({ key: 'pausedAll', value: paused });
  }

  async saveLastRun(summary: RunSummary): Promise<void> {
    await this.db.meta.put({ key: 'lastRun', value: summary });
  }

  async addToBadge(count: number): Promise<number> {
    return this.db.transaction('rw', this.db.meta, async () => {
      const total = (((await this.db.meta.get('badgeCount'))?.value as number | undefined) ?? 0) + count;
      await this.db.meta.put({ key: 'badgeCount', value: total });
      return total;
    });
  }
}
