import path from 'node:path';
import type { Db } from '../db/connection.js';
import type { MediaSourceInfo, MediaStream } from '../../shared/api/items.js';
import { visibleItemSql } from '../library/itemVisibility.js';
import type { SyncCandidate, SyncLibrary, SyncLibraryItem } from './syncLibrary.js';

/** Category lists (ids in order) from the library's own category queries, so sync and the UI agree. */
export interface CategorySource {
  latest(userId: string, parentId?: string): string[];
  resume(userId: string, parentId?: string): string[];
  nextUp(userId: string, parentId?: string): string[];
}

const FULL = `i.id, i.type, i.name, i.sort_name, i.is_folder, i.media_type, i.path, i.size, i.mtime_ms, i.date_modified,
  i.date_created, i.run_time_ticks, i.index_number, i.parent_index_number, i.series_id, i.series_name, i.album_id,
  i.album_artist, i.owner_user_id, i.image_tag, json_extract(i.extra, '$.incomplete') AS incomplete`;

/** The candidate columns, read with `.raw()`: expansion touches every item of a category. */
const LIGHT = `i.id, i.type, i.name, i.sort_name, i.is_folder, i.media_type, (i.path IS NOT NULL AND i.is_folder = 0),
  i.index_number, i.parent_index_number`;
type LightRow = [string, string, string, string, number, string | null, number, number | null, number | null];

function toCandidate(r: LightRow): SyncCandidate {
  return {
    id: r[0],
    type: r[1],
    name: r[2],
    sortName: r[3],
    isFolder: !!r[4],
    mediaType: r[5],
    hasFile: !!r[6],
    indexNumber: r[7],
    parentIndexNumber: r[8],
  };
}

interface FullRow {
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
  incomplete: string | null;
}

function toItem(r: FullRow): SyncLibraryItem {
  return {
    id: r.id,
    type: r.type,
    name: r.name,
    sortName: r.sort_name,
    isFolder: !!r.is_folder,
    mediaType: r.media_type,
    hasFile: !r.is_folder && !!r.path,
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
    incomplete: r.incomplete,
  };
}

const EPISODE_ORDER = 'COALESCE(i.parent_index_number, 0), COALESCE(i.index_number, 0), i.sort_name';
const TRACK_ORDER = 'COALESCE(i.parent_index_number, 1), COALESCE(i.index_number, 0), i.sort_name';
/** Under a parent: the item's own folder chain as the scanner records it. */
const UNDER_PARENT =
  '(i.parent_id = @parent OR i.top_parent_id = @parent OR i.series_id = @parent OR i.season_id = @parent OR i.album_id = @parent)';

export class SqlSyncLibrary implements SyncLibrary {
  constructor(
    private readonly db: Db,
    private readonly categories: CategorySource,
  ) {}

  private light(sql: string, params: Record<string, unknown>): SyncCandidate[] {
    return (this.db.prepare(sql).raw().all(params) as LightRow[]).map(toCandidate);
  }

  getItem(userId: string, id: string): SyncLibraryItem | undefined {
    const r = this.db
      .prepare(`SELECT ${FULL} FROM items i WHERE i.id = @id AND ${visibleItemSql('i', '@user')}`)
      .get({ id, user: userId }) as FullRow | undefined;
    return r && toItem(r);
  }

  candidates(userId: string, ids: readonly string[]): Map<string, SyncCandidate> {
    const out = new Map<string, SyncCandidate>();
    if (ids.length === 0) return out;
    const found = this.light(
      `SELECT ${LIGHT} FROM json_each(@ids) req JOIN items i ON i.id = req.value WHERE ${visibleItemSql('i', '@user')}`,
      { ids: JSON.stringify(ids), user: userId },
    );
    for (const c of found) out.set(c.id, c);
    return out;
  }

  descendants(userId: string, folder: SyncCandidate): SyncCandidate[] {
    const p = { id: folder.id, user: userId };
    const vis = visibleItemSql('i', '@user');
    switch (folder.type) {
      case 'Series':
        return this.light(
          `SELECT ${LIGHT} FROM items i WHERE i.series_id = @id AND i.is_folder = 0 AND ${vis} ORDER BY ${EPISODE_ORDER}`,
          p,
        );
      case 'Season':
        return this.light(
          `SELECT ${LIGHT} FROM items i WHERE i.season_id = @id AND i.is_folder = 0 AND ${vis} ORDER BY ${EPISODE_ORDER}`,
          p,
        );
      case 'MusicAlbum':
        // Track order, not SortName: an album synced by name order would shuffle its songs.
        return this.light(`SELECT ${LIGHT} FROM items i WHERE i.album_id = @id AND i.is_folder = 0 AND ${vis} ORDER BY ${TRACK_ORDER}`, p);
      case 'BoxSet':
      case 'Playlist': {
        const entries = this.light(
          `SELECT ${LIGHT} FROM folder_entries fe JOIN items i ON i.id = fe.item_id
           WHERE fe.folder_id = @id AND ${vis} ORDER BY fe.position`,
          p,
        );
        // A series inside a collection stands for its episodes; guard against a playlist holding itself.
        return entries.flatMap((e) => (e.isFolder ? (e.id === folder.id ? [] : this.descendants(userId, e)) : [e]));
      }
      case 'CollectionFolder':
        return this.light(
          `SELECT ${LIGHT} FROM items i WHERE i.top_parent_id = @id AND i.is_folder = 0 AND ${vis} ORDER BY i.sort_name`,
          p,
        );
      default:
        return this.light(`SELECT ${LIGHT} FROM items i WHERE i.parent_id = @id AND i.is_folder = 0 AND ${vis} ORDER BY i.sort_name`, p);
    }
  }

  itemsByName(userId: string, nameItem: SyncCandidate, parentId?: string): SyncCandidate[] {
    const scope = parentId ? ` AND ${UNDER_PARENT}` : '';
    const p = { id: nameItem.id, user: userId, parent: parentId ?? null };
    const vis = visibleItemSql('i', '@user');
    // Items linked directly, plus the items of linked folders (a series tagged with the genre).
    return this.light(
      `SELECT ${LIGHT} FROM items i
       WHERE i.is_folder = 0 AND ${vis}${scope} AND (
         i.id IN (SELECT item_id FROM item_links WHERE target_id = @id)
         OR i.series_id IN (SELECT item_id FROM item_links WHERE target_id = @id)
         OR i.album_id IN (SELECT item_id FROM item_links WHERE target_id = @id)
         OR i.season_id IN (SELECT item_id FROM item_links WHERE target_id = @id))
       ORDER BY i.sort_name`,
      p,
    );
  }

  private inOrder(userId: string, ids: string[]): SyncCandidate[] {
    const found = this.candidates(userId, ids);
    return ids.map((id) => found.get(id)).filter((i): i is SyncCandidate => !!i);
  }

  latest(userId: string, parentId?: string): SyncCandidate[] {
    return this.inOrder(userId, this.categories.latest(userId, parentId));
  }

  resume(userId: string, parentId?: string): SyncCandidate[] {
    return this.inOrder(userId, this.categories.resume(userId, parentId));
  }

  nextUp(userId: string, parentId?: string): SyncCandidate[] {
    return this.inOrder(userId, this.categories.nextUp(userId, parentId));
  }

  playedIds(userId: string, itemIds: readonly string[]): Set<string> {
    if (itemIds.length === 0) return new Set();
    const rows = this.db
      .prepare(`SELECT item_id FROM user_data WHERE user_id = ? AND played = 1 AND item_id IN (SELECT value FROM json_each(?))`)
      .pluck()
      .all(userId, JSON.stringify(itemIds)) as string[];
    return new Set(rows);
  }

  mediaSource(item: SyncLibraryItem): MediaSourceInfo | undefined {
    const row = this.db
      .prepare('SELECT container, size, bitrate, run_time_ticks, media_streams, path FROM items WHERE id = ?')
      .get(item.id) as
      | {
          container: string | null;
          size: number | null;
          bitrate: number | null;
          run_time_ticks: number | null;
          media_streams: string;
          path: string | null;
        }
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
      DefaultAudioStreamIndex:
        streams.find((s) => s.Type === 'Audio' && s.IsDefault)?.Index ?? streams.find((s) => s.Type === 'Audio')?.Index,
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
