import path from 'node:path';
import type { Db } from '../db/connection.js';
import type { MediaSourceInfo, MediaStream } from '../../shared/api/items.js';
import { canUserSeeItem, visibleItemSql } from '../library/itemVisibility.js';
import type { SyncLibrary, SyncLibraryItem } from './syncLibrary.js';

/** Category lists (ids in order) from the library's own category queries, so sync and the UI agree. */
export interface CategorySource {
  latest(userId: string, parentId?: string): string[];
  resume(userId: string, parentId?: string): string[];
  nextUp(userId: string, parentId?: string): string[];
}

const COLUMNS = `i.id, i.type, i.name, i.sort_name, i.is_folder, i.media_type, i.path, i.size, i.mtime_ms, i.date_modified,
  i.date_created, i.run_time_ticks, i.index_number, i.parent_index_number, i.series_id, i.series_name, i.album_id,
  i.album_artist, i.owner_user_id, i.image_tag, i.parent_id, i.top_parent_id, i.season_id`;

interface Row {
  id: string;
  type: string;
  name: string;
  sort_name: string;
  is_folder: number;
  media_type: string | null;
  path: string | null;
  size: number | null;
  mtime_ms: number | null;
  date_modified: string;
  date_created: string;
  run_time_ticks: number | null;
  index_number: number | null;
  parent_index_number: number | null;
  series_id: string | null;
  series_name: string | null;
  album_id: string | null;
  album_artist: string | null;
  owner_user_id: string | null;
  image_tag: string | null;
}

function toItem(r: Row): SyncLibraryItem {
  return {
    id: r.id,
    type: r.type,
    name: r.name,
    sortName: r.sort_name,
    isFolder: !!r.is_folder,
    mediaType: r.media_type,
    path: r.is_folder ? null : r.path,
    size: r.size,
    mtimeMs: r.mtime_ms,
    dateModified: r.date_modified,
    dateCreated: r.date_created,
    runTimeTicks: r.run_time_ticks,
    indexNumber: r.index_number,
    parentIndexNumber: r.parent_index_number,
    seriesId: r.series_id,
    seriesName: r.series_name,
    albumId: r.album_id,
    albumArtist: r.album_artist,
    ownerUserId: r.owner_user_id,
    imageTag: r.image_tag,
  };
}

const EPISODE_ORDER = 'COALESCE(i.parent_index_number, 0), COALESCE(i.index_number, 0), i.sort_name';
const TRACK_ORDER = 'COALESCE(i.parent_index_number, 1), COALESCE(i.index_number, 0), i.sort_name';

export class SqlSyncLibrary implements SyncLibrary {
  constructor(
    private readonly db: Db,
    private readonly categories: CategorySource,
  ) {}

  private rows(sql: string, params: Record<string, unknown>): SyncLibraryItem[] {
    return (this.db.prepare(sql).all(params) as Row[]).map(toItem);
  }

  getItem(userId: string, id: string): SyncLibraryItem | undefined {
    return this.getItems(userId, [id]).get(id);
  }

  getItems(userId: string, ids: readonly string[]): Map<string, SyncLibraryItem> {
    const out = new Map<string, SyncLibraryItem>();
    if (ids.length === 0) return out;
    const rows = this.db
      .prepare(`SELECT ${COLUMNS} FROM items i WHERE i.id IN (SELECT value FROM json_each(?))`)
      .all(JSON.stringify(ids)) as Row[];
    for (const r of rows) if (canUserSeeItem(userId, { type: r.type, owner_user_id: r.owner_user_id })) out.set(r.id, toItem(r));
    return out;
  }

  descendants(userId: string, folder: SyncLibraryItem): SyncLibraryItem[] {
    const p = { id: folder.id, user: userId };
    const vis = visibleItemSql('i', '@user');
    switch (folder.type) {
      case 'Series':
        return this.rows(`SELECT ${COLUMNS} FROM items i WHERE i.series_id = @id AND i.is_folder = 0 AND ${vis} ORDER BY ${EPISODE_ORDER}`, p);
      case 'Season':
        return this.rows(`SELECT ${COLUMNS} FROM items i WHERE i.season_id = @id AND i.is_folder = 0 AND ${vis} ORDER BY ${EPISODE_ORDER}`, p);
      case 'MusicAlbum':
        // Track order, not SortName: an album synced by name order would shuffle its songs.
        return this.rows(`SELECT ${COLUMNS} FROM items i WHERE i.album_id = @id AND i.is_folder = 0 AND ${vis} ORDER BY ${TRACK_ORDER}`, p);
      case 'BoxSet':
      case 'Playlist': {
        const entries = this.db
          .prepare('SELECT item_id FROM folder_entries WHERE folder_id = ? ORDER BY position')
          .all(folder.id) as { item_id: string }[];
        const found = this.getItems(userId, entries.map((e) => e.item_id));
        const out: SyncLibraryItem[] = [];
        for (const e of entries) {
          const item = found.get(e.item_id);
          if (!item) continue;
          // A series inside a collection stands for its episodes; guard against a playlist holding itself.
          if (item.isFolder && item.id !== folder.id) out.push(...this.descendants(userId, item));
          else if (!item.isFolder) out.push(item);
        }
        return out;
      }
      case 'CollectionFolder':
        return this.rows(
          `SELECT ${COLUMNS} FROM items i WHERE i.top_parent_id = @id AND i.is_folder = 0 AND ${vis} ORDER BY i.sort_name`,
          p,
        );
      default:
        return this.rows(`SELECT ${COLUMNS} FROM items i WHERE i.parent_id = @id AND i.is_folder = 0 AND ${vis} ORDER BY i.sort_name`, p);
    }
  }

  itemsByName(userId: string, nameItem: SyncLibraryItem, parentId?: string): SyncLibraryItem[] {
    // Links may sit on a folder (a series' genre): those stand for the folder's items.
    const linked = this.rows(
      `SELECT ${COLUMNS} FROM item_links l JOIN items i ON i.id = l.item_id
       WHERE l.target_id = @id AND ${visibleItemSql('i', '@user')}`,
      { id: nameItem.id, user: userId },
    );
    const items: SyncLibraryItem[] = [];
    for (const item of linked) items.push(...(item.isFolder ? this.descendants(userId, item) : [item]));
    const scoped = parentId ? items.filter((i) => this.isUnder(i, parentId)) : items;
    return scoped.sort((a, b) => a.sortName.localeCompare(b.sortName));
  }

  private isUnder(item: SyncLibraryItem, parentId: string): boolean {
    if (item.seriesId === parentId || item.albumId === parentId) return true;
    const row = this.db.prepare('SELECT parent_id, top_parent_id, season_id FROM items WHERE id = ?').get(item.id) as
      | { parent_id: string | null; top_parent_id: string | null; season_id: string | null }
      | undefined;
    return !!row && (row.parent_id === parentId || row.top_parent_id === parentId || row.season_id === parentId);
  }

  private inOrder(userId: string, ids: string[]): SyncLibraryItem[] {
    const found = this.getItems(userId, ids);
    return ids.map((id) => found.get(id)).filter((i): i is SyncLibraryItem => !!i);
  }

  latest(userId: string, parentId?: string): SyncLibraryItem[] {
    return this.inOrder(userId, this.categories.latest(userId, parentId));
  }

  resume(userId: string, parentId?: string): SyncLibraryItem[] {
    return this.inOrder(userId, this.categories.resume(userId, parentId));
  }

  nextUp(userId: string, parentId?: string): SyncLibraryItem[] {
    return this.inOrder(userId, this.categories.nextUp(userId, parentId));
  }

  playedIds(userId: string, itemIds: readonly string[]): Set<string> {
    if (itemIds.length === 0) return new Set();
    const rows = this.db
      .prepare(`SELECT item_id FROM user_data WHERE user_id = ? AND played = 1 AND item_id IN (SELECT value FROM json_each(?))`)
      .all(userId, JSON.stringify(itemIds)) as { item_id: string }[];
    return new Set(rows.map((r) => r.item_id));
  }

  mediaSource(item: SyncLibraryItem): MediaSourceInfo | undefined {
    const row = this.db.prepare('SELECT container, size, bitrate, run_time_ticks, media_streams, path FROM items WHERE id = ?').get(item.id) as
      | { container: string | null; size: number | null; bitrate: number | null; run_time_ticks: number | null; media_streams: string; path: string | null }
      | undefined;
    if (!row || !row.path) return undefined;
    const streams = JSON.parse(row.media_streams) as MediaStream[];
    return {
      Id: item.id,
      Protocol: 'File',
      Type: 'Default',
      Container: row.container ?? undefined,
      Size: row.size ?? undefined,
      Name: item.name,
      Path: path.basename(row.path),
      RunTimeTicks: row.run_time_ticks ?? undefined,
      Bitrate: row.bitrate ?? undefined,
      IsRemote: false,
      SupportsTranscoding: true,
      SupportsDirectStream: true,
      SupportsDirectPlay: true,
      RequiresOpening: false,
      MediaStreams: streams,
      DefaultAudioStreamIndex: streams.find((s) => s.Type === 'Audio' && s.IsDefault)?.Index ?? streams.find((s) => s.Type === 'Audio')?.Index,
    };
  }

  sidecarPaths(item: SyncLibraryItem): Record<string, string> {
    const row = this.db.prepare('SELECT extra FROM items WHERE id = ?').get(item.id) as { extra: string } | undefined;
    if (!row) return {};
    const extra = JSON.parse(row.extra) as { externalSubtitlePaths?: Record<string, string> };
    const out: Record<string, string> = {};
    for (const abs of Object.values(extra.externalSubtitlePaths ?? {})) out[path.basename(abs)] = abs;
    return out;
  }
}
