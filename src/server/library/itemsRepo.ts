/**
 * The library's read side: item queries as Emby's `GET /Users/{uid}/Items` understands them, built as one
 * SQL statement (plus one COUNT for TotalRecordCount), and the batched look-ups the DTO mapper needs
 * (links, folder counts). Nothing here runs a query per item: a page of 100 items costs a fixed handful of
 * statements, which is what keeps a 20 000-item library fast.
 */
import type { Db } from '../db/connection.js';
import { visibleItemSql } from './itemVisibility.js';

export interface ItemRow {
  id: string;
  type: string;
  name: string;
  sort_name: string;
  parent_id: string | null;
  top_parent_id: string | null;
  owner_user_id: string | null;
  path: string | null;
  is_folder: number;
  media_type: string | null;
  collection_type: string | null;
  container: string | null;
  size: number | null;
  mtime_ms: number | null;
  run_time_ticks: number | null;
  bitrate: number | null;
  date_created: string;
  date_modified: string;
  premiere_date: string | null;
  production_year: number | null;
  index_number: number | null;
  parent_index_number: number | null;
  series_id: string | null;
  series_name: string | null;
  season_id: string | null;
  season_name: string | null;
  album_id: string | null;
  album: string | null;
  album_artist: string | null;
  overview: string | null;
  media_streams: string;
  extra: string;
  image_path: string | null;
  image_tag: string | null;
  scan_id: number | null;
  /** Set when listing a playlist or box set: the entry's id (Emby's PlaylistItemId). */
  playlist_item_id?: string | null;
}

export type SortOrder = 'Ascending' | 'Descending';

/** Everything `GET /Users/{uid}/Items` can ask, already parsed (routes map the wire names to this). */
export interface ItemQuery {
  userId: string;
  parentId?: string;
  recursive?: boolean;
  includeItemTypes?: string[];
  excludeItemTypes?: string[];
  mediaTypes?: string[];
  sortBy?: string[];
  sortOrder?: SortOrder[];
  startIndex?: number;
  limit?: number;
  /** Genre names (Emby sends them `|`-separated). */
  genres?: string[];
  genreIds?: string[];
  studioIds?: string[];
  personIds?: string[];
  /** Person roles (Actor, Director…) for PersonIds. */
  personTypes?: string[];
  artistIds?: string[];
  albumArtistIds?: string[];
  years?: number[];
  isPlayed?: boolean;
  isFavorite?: boolean;
  isResumable?: boolean;
  isFolder?: boolean;
  searchTerm?: string;
  ids?: string[];
  nameStartsWith?: string;
  /** Emby's alphabet bar: sort names from this one on (`NameStartsWithOrGreater`), and before this one (`NameLessThan`). */
  nameFrom?: string;
  nameBefore?: string;
  /** Episodes of a series (`/Shows/{id}/Episodes`). */
  seriesId?: string;
  seasonId?: string;
  parentIndexNumber?: number;
  /** Only items backed by a media file (Latest, Resume, sync expansion). */
  hasMedia?: boolean;
  /** Skip the COUNT when the caller does not need TotalRecordCount. */
  enableTotalRecordCount?: boolean;
}

export interface ItemQueryResult {
  rows: ItemRow[];
  total: number;
}

/** Per-folder numbers for DTOs: direct children, non-folder descendants and how many of those are played. */
export interface FolderStats {
  childCount: number;
  recursiveCount: number;
  playedCount: number;
}

export interface ItemLink {
  itemId: string;
  targetId: string;
  targetName: string;
  targetType: string;
  targetImageTag: string | null;
  kind: string;
  role: string | null;
}

export const BY_NAME_TYPES: ReadonlySet<string> = new Set(['Genre', 'MusicGenre', 'Studio', 'Person', 'MusicArtist']);
/** Folders whose children keep their own order in `folder_entries`. */
export const ENTRY_FOLDER_TYPES: ReadonlySet<string> = new Set(['BoxSet', 'Playlist']);
/** Folders whose children are listed in index order (season/episode, disc/track). */
const INDEXED_FOLDER_TYPES: ReadonlySet<string> = new Set(['Series', 'Season', 'MusicAlbum']);

const KNOWN_TYPES = [
  'CollectionFolder',
  'Movie',
  'Video',
  'Series',
  'Season',
  'Episode',
  'MusicAlbum',
  'MusicArtist',
  'Audio',
  'Photo',
  'BoxSet',
  'Playlist',
  'Genre',
  'MusicGenre',
  'Studio',
  'Person',
  'Folder',
  'MusicVideo',
  'Trailer',
];
const TYPE_BY_LOWER = new Map(KNOWN_TYPES.map((t) => [t.toLowerCase(), t]));
const MEDIA_TYPES = new Map(['Video', 'Audio', 'Photo', 'Book', 'Game'].map((t) => [t.toLowerCase(), t]));

/** Emby clients spell types as the server does, but not always in the same case. */
export function canonicalItemType(t: string): string {
  return TYPE_BY_LOWER.get(t.toLowerCase()) ?? t;
}

const SORT_COLUMNS: Record<string, string> = {
  sortname: 'a.sort_name',
  name: 'a.name COLLATE NOCASE',
  datecreated: 'a.date_created',
  premieredate: 'a.premiere_date',
  productionyear: 'a.production_year',
  dateplayed: 'ud.last_played_date',
  playcount: 'COALESCE(ud.play_count, 0)',
  random: 'random()',
  indexnumber: 'a.index_number',
  parentindexnumber: 'a.parent_index_number',
  runtime: 'a.run_time_ticks',
  album: 'a.album COLLATE NOCASE',
  albumartist: 'a.album_artist COLLATE NOCASE',
  seriessortname: '(SELECT s.sort_name FROM items s WHERE s.id = a.series_id)',
  isfolder: 'a.is_folder',
};

/** Columns that are never NULL: sorting them needs no "nulls last" term (which would defeat their index). */
const NOT_NULL_SORT_COLUMNS: ReadonlySet<string> = new Set([
  'a.sort_name',
  'a.name COLLATE NOCASE',
  'a.date_created',
  'COALESCE(ud.play_count, 0)',
  'a.is_folder',
]);

/** Case and accents folded, so "amelie" finds "Amélie" (registered as an SQL function below). */
export function foldForSearch(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Collects named parameters while a statement is assembled. */
class Params {
  readonly values: Record<string, unknown> = {};
  private n = 0;
  add(value: unknown): string {
    const name = `p${this.n++}`;
    this.values[name] = value;
    return `@${name}`;
  }
  /** A list as one JSON parameter: no limit on its length, one prepared shape for any size. */
  list(values: readonly unknown[]): string {
    return `(SELECT value FROM json_each(${this.add(JSON.stringify(values))}))`;
  }
}

interface Scope {
  joins: string;
  where: string[];
  defaultOrder: string[];
}

export class ItemsRepo {
  constructor(private readonly db: Db) {
    db.function('stow_fold', { deterministic: true }, (s: unknown) => (typeof s === 'string' ? foldForSearch(s) : s));
  }

  get(id: string): ItemRow | undefined {
    return this.db.prepare('SELECT * FROM items WHERE id = ?').get(id) as ItemRow | undefined;
  }

  /** The item if it exists and the user may see it. */
  getVisible(userId: string, id: string): ItemRow | undefined {
    return this.db.prepare(`SELECT a.* FROM items a WHERE a.id = @id AND ${visibleItemSql('a', '@user')}`).get({ id, user: userId }) as
      ItemRow | undefined;
  }

  /** Rows for ids, in the order asked, unknown ids skipped. */
  getMany(ids: readonly string[]): ItemRow[] {
    if (ids.length === 0) return [];
    const rows = this.db.prepare('SELECT * FROM items WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(ids)) as ItemRow[];
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id)).filter((r): r is ItemRow => !!r);
  }

  query(q: ItemQuery): ItemQueryResult {
    const { from, order, paging, params, select } = this.build(q);
    const rows = this.db.prepare(`SELECT ${select} ${from} ORDER BY ${order}${paging}`).all(params) as ItemRow[];
    // A page that is not full ends the list, so its total is known without counting.
    let total = rows.length + (q.startIndex ?? 0);
    const pageFull = q.limit !== undefined && rows.length >= q.limit;
    if (q.enableTotalRecordCount !== false && (pageFull || (rows.length === 0 && q.startIndex))) {
      total = (this.db.prepare(`SELECT COUNT(*) AS n ${from}`).get(params) as { n: number }).n;
    }
    return { rows, total };
  }

  /**
   * The ids `query` would return, in the same order. Sync expansion of a 20 000-item category needs only
   * the ids; reading whole rows costs ~10× more.
   */
  queryIds(q: ItemQuery): string[] {
    const { from, order, paging, params } = this.build(q);
    return this.db.prepare(`SELECT a.id ${from} ORDER BY ${order}${paging}`).pluck().all(params) as string[];
  }

  private build(q: ItemQuery): { from: string; order: string; paging: string; params: Record<string, unknown>; select: string } {
    const p = new Params();
    const user = p.add(q.userId);
    const scope = this.scope(q, p);
    const where = [visibleItemSql('a', user), ...scope.where, ...this.filters(q, p, user)];
    let joins = `LEFT JOIN user_data ud ON ud.item_id = a.id AND ud.user_id = ${user}${scope.joins}`;
    let order = this.orderBy(q, scope);
    if (q.ids) {
      const ids = [...new Set(q.ids)];
      joins += ` JOIN json_each(${p.add(JSON.stringify(ids))}) req ON req.value = a.id`;
      if (!q.sortBy?.length) order = 'req.key';
    }
    const from = `FROM items a ${joins} WHERE ${where.join(' AND ')}`;
    const paging = q.limit !== undefined || q.startIndex ? ` LIMIT ${p.add(q.limit ?? -1)} OFFSET ${p.add(q.startIndex ?? 0)}` : '';
    const select = scope.joins.includes('fe.') ? 'a.*, fe.entry_id AS playlist_item_id' : 'a.*';
    return { from, order, paging, params: p.values, select };
  }

  /** Every visible non-folder media item under a folder or item-by-name (played marking, sync expansion). */
  playableDescendants(userId: string, folder: ItemRow): ItemRow[] {
    return this.query({ userId, parentId: folder.id, recursive: true, isFolder: false, hasMedia: true }).rows;
  }

  /** Library views (CollectionFolder) that hold something, by name. */
  views(userId: string): ItemRow[] {
    return this.query({ userId }).rows;
  }

  /**
   * Direct children, non-folder media descendants and played counts for folders, in two statements.
   * Each folder type reaches its descendants through one indexed relation, so the branches never overlap.
   */
  folderStats(userId: string, folders: ReadonlyArray<Pick<ItemRow, 'id' | 'type'>>): Map<string, FolderStats> {
    const out = new Map<string, FolderStats>();
    if (folders.length === 0) return out;
    const groups = {
      series: [] as string[],
      album: [] as string[],
      view: [] as string[],
      entries: [] as string[],
      byName: [] as string[],
      other: [] as string[],
    };
    for (const f of folders) {
      out.set(f.id, { childCount: 0, recursiveCount: 0, playedCount: 0 });
      if (f.type === 'Series') groups.series.push(f.id);
      else if (f.type === 'MusicAlbum') groups.album.push(f.id);
      else if (f.type === 'CollectionFolder') groups.view.push(f.id);
      else if (ENTRY_FOLDER_TYPES.has(f.type)) groups.entries.push(f.id);
      else if (BY_NAME_TYPES.has(f.type)) groups.byName.push(f.id);
      else groups.other.push(f.id);
    }
    const params: Record<string, string> = { user: userId };
    for (const [k, ids] of Object.entries(groups)) params[k] = JSON.stringify(ids);
    const inGroup = (k: string) => `(SELECT value FROM json_each(@${k}))`;
    const media = `c.is_folder = 0 AND c.media_type IS NOT NULL AND ${visibleItemSql('c', '@user')}`;
    const recursive = this.db
      .prepare(
        `WITH d(k, id) AS (
           SELECT c.series_id, c.id FROM items c WHERE c.series_id IN ${inGroup('series')} AND ${media}
           UNION ALL SELECT c.album_id, c.id FROM items c WHERE c.album_id IN ${inGroup('album')} AND ${media}
           UNION ALL SELECT c.top_parent_id, c.id FROM items c WHERE c.top_parent_id IN ${inGroup('view')} AND ${media}
           UNION ALL SELECT fe.folder_id, c.id FROM folder_entries fe JOIN items c ON c.id = fe.item_id
             WHERE fe.folder_id IN ${inGroup('entries')} AND ${media}
           UNION ALL SELECT l.target_id, c.id FROM item_links l JOIN items c ON c.id = l.item_id
             WHERE l.target_id IN ${inGroup('byName')} AND ${media}
           UNION ALL SELECT c.parent_id, c.id FROM items c WHERE c.parent_id IN ${inGroup('other')} AND ${media}
         )
         SELECT d.k AS id, COUNT(DISTINCT d.id) AS n,
           COUNT(DISTINCT CASE WHEN ud.played = 1 THEN d.id END) AS played
         FROM d LEFT JOIN user_data ud ON ud.item_id = d.id AND ud.user_id = @user
         GROUP BY d.k`,
      )
      .all(params) as Array<{ id: string; n: number; played: number }>;
    const all = JSON.stringify(folders.map((f) => f.id));
    const direct = this.db
      .prepare(
        `SELECT parent_id AS id, COUNT(*) AS n FROM items WHERE parent_id IN (SELECT value FROM json_each(@all)) GROUP BY parent_id
         UNION ALL
         SELECT fe.folder_id, COUNT(*) FROM folder_entries fe JOIN items x ON x.id = fe.item_id
           WHERE fe.folder_id IN ${inGroup('entries')} GROUP BY fe.folder_id
         UNION ALL
         SELECT target_id, COUNT(*) FROM item_links WHERE target_id IN ${inGroup('byName')} GROUP BY target_id`,
      )
      .all({ all, entries: params.entries, byName: params.byName }) as Array<{ id: string; n: number }>;
    for (const r of recursive) Object.assign(out.get(r.id)!, { recursiveCount: r.n, playedCount: r.played });
    for (const r of direct) out.get(r.id)!.childCount += r.n;
    return out;
  }

  /** Items-by-name links (genres, studios, people, artists) of many items, with the targets' names. */
  links(itemIds: readonly string[]): Map<string, ItemLink[]> {
    const out = new Map<string, ItemLink[]>();
    if (itemIds.length === 0) return out;
    const rows = this.db
      .prepare(
        `SELECT l.item_id AS itemId, l.target_id AS targetId, t.name AS targetName, t.type AS targetType,
           t.image_tag AS targetImageTag, l.kind, l.role
         FROM item_links l JOIN items t ON t.id = l.target_id
         WHERE l.item_id IN (SELECT value FROM json_each(?))
         ORDER BY l.item_id, l.position, t.sort_name`,
      )
      .all(JSON.stringify(itemIds)) as ItemLink[];
    for (const r of rows) {
      const list = out.get(r.itemId) ?? [];
      list.push(r);
      out.set(r.itemId, list);
    }
    return out;
  }

  /**
   * Items-by-name of one type that have visible items under the query's scope (ParentId), each with
   * per-type counts of those items. `linkKinds` picks e.g. album artists only.
   */
  itemsByName(q: ItemQuery & { byNameType: string; linkKinds: string[] }): { rows: Array<ItemRow & ByNameCounts>; total: number } {
    const p = new Params();
    const user = p.add(q.userId);
    const scope = this.scope({ ...q, recursive: true, includeItemTypes: undefined }, p);
    const inner: string[] = [visibleItemSql('a', user), ...scope.where];
    if (q.includeItemTypes?.length) inner.push(`a.type IN ${p.list(q.includeItemTypes.map(canonicalItemType))}`);
    if (q.personTypes?.length) inner.push(`l.role IN ${p.list(q.personTypes)}`);
    const outer: string[] = [`t.type = ${p.add(q.byNameType)}`];
    if (q.searchTerm) outer.push(`stow_fold(t.name) LIKE ${p.add(`%${escapeLike(foldForSearch(q.searchTerm))}%`)} ESCAPE '\\'`);
    if (q.nameStartsWith) outer.push(`stow_fold(t.sort_name) LIKE ${p.add(`${escapeLike(foldForSearch(q.nameStartsWith))}%`)} ESCAPE '\\'`);
    if (q.nameFrom) outer.push(`stow_fold(t.sort_name) >= ${p.add(foldForSearch(q.nameFrom))}`);
    if (q.nameBefore) outer.push(`stow_fold(t.sort_name) < ${p.add(foldForSearch(q.nameBefore))}`);
    if (q.isFavorite !== undefined) outer.push(`COALESCE(ud.is_favorite, 0) = ${q.isFavorite ? 1 : 0}`);
    if (q.ids?.length) outer.push(`t.id IN ${p.list(q.ids)}`);
    const from = `FROM items t
      JOIN (SELECT l.target_id AS id, COUNT(DISTINCT a.id) AS item_count,
              COUNT(DISTINCT CASE WHEN a.type = 'Movie' THEN a.id END) AS movie_count,
              COUNT(DISTINCT CASE WHEN a.type = 'Series' THEN a.id END) AS series_count,
              COUNT(DISTINCT CASE WHEN a.type = 'Episode' THEN a.id END) AS episode_count,
              COUNT(DISTINCT CASE WHEN a.type = 'Audio' THEN a.id END) AS song_count,
              COUNT(DISTINCT CASE WHEN a.type = 'MusicAlbum' THEN a.id END) AS album_count
            FROM item_links l JOIN items a ON a.id = l.item_id ${scope.joins}
            WHERE l.kind IN ${p.list(q.linkKinds)} AND ${inner.join(' AND ')}
            GROUP BY l.target_id) c ON c.id = t.id
      LEFT JOIN user_data ud ON ud.item_id = t.id AND ud.user_id = ${user}
      WHERE ${outer.join(' AND ')}`;
    const desc = q.sortOrder?.[0] === 'Descending' ? 'DESC' : 'ASC';
    const sortKey = (q.sortBy ?? []).map((s) => s.toLowerCase()).find((s) => s === 'random' || s === 'name' || s === 'sortname');
    const order = sortKey === 'random' ? 'random()' : `t.sort_name ${desc}, t.id`;
    const paging = q.limit !== undefined || q.startIndex ? ` LIMIT ${p.add(q.limit ?? -1)} OFFSET ${p.add(q.startIndex ?? 0)}` : '';
    const rows = this.db.prepare(`SELECT t.*, c.* ${from} ORDER BY ${order}${paging}`).all(p.values) as Array<ItemRow & ByNameCounts>;
    const total =
      q.enableTotalRecordCount === false ? rows.length : (this.db.prepare(`SELECT COUNT(*) AS n ${from}`).get(p.values) as { n: number }).n;
    return { rows, total };
  }

  /**
   * For each series the user has played an episode of: the first unplayed episode after the furthest
   * played one (season, then episode order; specials left out), series by last play, most recent first.
   * Series never started do not appear (Emby semantics).
   */
  nextUp(q: { userId: string; seriesId?: string; parentId?: string; startIndex?: number; limit?: number }): ItemQueryResult {
    const p = new Params();
    const user = p.add(q.userId);
    const scope = q.parentId ? this.scope({ userId: q.userId, parentId: q.parentId, recursive: true }, p) : undefined;
    const where = [
      `a.type = 'Episode'`,
      `a.series_id IS NOT NULL`,
      `COALESCE(a.parent_index_number, 1) <> 0`,
      visibleItemSql('a', user),
      ...(scope?.where ?? []),
    ];
    if (q.seriesId) where.push(`a.series_id = ${p.add(q.seriesId)}`);
    // Only series with a played episode can have a next one: start from the user's played rows.
    where.push(`a.series_id IN (SELECT e.series_id FROM user_data u JOIN items e ON e.id = u.item_id
      WHERE u.user_id = ${user} AND u.played = 1 AND e.series_id IS NOT NULL)`);
    const cte = `WITH ep AS (
        SELECT a.id, a.series_id, a.sort_name,
          COALESCE(a.parent_index_number, 1) * 1000000 + COALESCE(a.index_number, 0) AS ord,
          COALESCE(ud.played, 0) AS played, ud.last_played_date AS lp
        FROM items a LEFT JOIN user_data ud ON ud.item_id = a.id AND ud.user_id = ${user}
        WHERE ${where.join(' AND ')}
      ),
      started AS (
        SELECT series_id, MAX(CASE WHEN played = 1 THEN ord END) AS last_ord, MAX(lp) AS last_date
        FROM ep GROUP BY series_id HAVING MAX(played) = 1
      ),
      nxt AS (
        SELECT ep.id, s.last_date,
          ROW_NUMBER() OVER (PARTITION BY ep.series_id ORDER BY ep.ord, ep.sort_name, ep.id) AS rn
        FROM ep JOIN started s ON s.series_id = ep.series_id
        WHERE ep.ord > s.last_ord AND ep.played = 0
      )`;
    const paging = q.limit !== undefined || q.startIndex ? ` LIMIT ${p.add(q.limit ?? -1)} OFFSET ${p.add(q.startIndex ?? 0)}` : '';
    const rows = this.db
      .prepare(
        `${cte} SELECT a.* FROM nxt JOIN items a ON a.id = nxt.id WHERE nxt.rn = 1
         ORDER BY nxt.last_date DESC, a.series_name COLLATE NOCASE, a.id${paging}`,
      )
      .all(p.values) as ItemRow[];
    const total = (this.db.prepare(`${cte} SELECT COUNT(*) AS n FROM nxt WHERE rn = 1`).get(p.values) as { n: number }).n;
    return { rows, total };
  }

  // -------------------------------------------------------------------------------------------

  /** Which items the ParentId/Recursive pair selects, and their natural order. */
  private scope(q: ItemQuery, p: Params): Scope {
    const bySortName = ['a.sort_name'];
    if (!q.parentId) {
      if (!q.recursive && !q.ids && !q.seriesId) {
        // The user's root: the library views that hold something.
        return {
          joins: '',
          where: [`a.type = 'CollectionFolder'`, `EXISTS (SELECT 1 FROM items c WHERE c.top_parent_id = a.id)`],
          defaultOrder: bySortName,
        };
      }
      // The whole library: items-by-name and views only when asked for by type (or by id).
      const where: string[] = [];
      if (!q.ids && !q.includeItemTypes?.length) {
        where.push(`a.type NOT IN ('CollectionFolder', 'Genre', 'MusicGenre', 'Studio', 'Person', 'MusicArtist')`);
      }
      return { joins: '', where, defaultOrder: q.seriesId ? indexOrder() : bySortName };
    }
    const parent = this.getVisible(q.userId, q.parentId);
    // Nothing lies under a parent the user may not see; services answer 404 for it before asking.
    if (!parent) return { joins: '', where: ['0'], defaultOrder: bySortName };
    const id = p.add(parent.id);
    if (BY_NAME_TYPES.has(parent.type)) {
      return { joins: '', where: [`a.id IN (SELECT item_id FROM item_links WHERE target_id = ${id})`], defaultOrder: bySortName };
    }
    if (ENTRY_FOLDER_TYPES.has(parent.type) && !q.recursive) {
      return { joins: ` JOIN folder_entries fe ON fe.item_id = a.id AND fe.folder_id = ${id}`, where: [], defaultOrder: ['fe.position'] };
    }
    if (parent.type === 'CollectionFolder') {
      return {
        joins: '',
        where: [q.recursive ? `a.top_parent_id = ${id}` : `a.parent_id = ${id}`],
        defaultOrder: bySortName,
      };
    }
    const order = INDEXED_FOLDER_TYPES.has(parent.type) ? indexOrder() : bySortName;
    if (!q.recursive) return { joins: '', where: [`a.parent_id = ${id}`], defaultOrder: order };
    if (parent.type === 'Series' || parent.type === 'MusicAlbum') {
      // The scanner fills series_id / album_id on every descendant: an indexed lookup, no recursion.
      const col = parent.type === 'Series' ? 'series_id' : 'album_id';
      return { joins: '', where: [`(a.${col} = ${id} OR a.parent_id = ${id})`], defaultOrder: order };
    }
    // Box sets, playlists and any other folder: walk parent links and entries (a box set may hold a series).
    const tree = `a.id IN (WITH RECURSIVE tree(id) AS (
        SELECT item_id FROM folder_entries WHERE folder_id = ${id}
        UNION SELECT id FROM items WHERE parent_id = ${id}
        UNION SELECT i.id FROM items i JOIN tree t ON i.parent_id = t.id
        UNION SELECT e.item_id FROM folder_entries e JOIN tree t ON e.folder_id = t.id
      ) SELECT id FROM tree)`;
    return { joins: '', where: [tree], defaultOrder: ENTRY_FOLDER_TYPES.has(parent.type) ? bySortName : order };
  }

  private filters(q: ItemQuery, p: Params, user: string): string[] {
    const w: string[] = [];
    if (q.includeItemTypes?.length) w.push(`a.type IN ${p.list(q.includeItemTypes.map(canonicalItemType))}`);
    if (q.excludeItemTypes?.length) w.push(`a.type NOT IN ${p.list(q.excludeItemTypes.map(canonicalItemType))}`);
    if (q.mediaTypes?.length) w.push(`a.media_type IN ${p.list(q.mediaTypes.map((m) => MEDIA_TYPES.get(m.toLowerCase()) ?? m))}`);
    if (q.isFolder !== undefined) w.push(`a.is_folder = ${q.isFolder ? 1 : 0}`);
    if (q.hasMedia) w.push(`a.media_type IS NOT NULL AND a.path IS NOT NULL AND a.is_folder = 0`);
    if (q.years?.length) w.push(`a.production_year IN ${p.list(q.years)}`);
    if (q.seriesId) w.push(`a.series_id = ${p.add(q.seriesId)}`);
    if (q.seasonId) w.push(`a.season_id = ${p.add(q.seasonId)}`);
    if (q.parentIndexNumber !== undefined) w.push(`a.parent_index_number = ${p.add(q.parentIndexNumber)}`);
    // Positive user-data filters start from the user's few user_data rows instead of every item.
    if (q.isFavorite === true) w.push(`a.id IN (SELECT item_id FROM user_data WHERE user_id = ${user} AND is_favorite = 1)`);
    if (q.isFavorite === false) w.push(`COALESCE(ud.is_favorite, 0) = 0`);
    if (q.isResumable) {
      w.push(`a.id IN (SELECT item_id FROM user_data WHERE user_id = ${user} AND playback_position_ticks > 0)`);
    }
    if (q.isPlayed !== undefined) w.push(`${playedSql(user)} = ${q.isPlayed ? 1 : 0}`);
    if (q.searchTerm) w.push(`stow_fold(a.name) LIKE ${p.add(`%${escapeLike(foldForSearch(q.searchTerm))}%`)} ESCAPE '\\'`);
    if (q.nameStartsWith) {
      w.push(`stow_fold(a.sort_name) LIKE ${p.add(`${escapeLike(foldForSearch(q.nameStartsWith))}%`)} ESCAPE '\\'`);
    }
    if (q.nameFrom) w.push(`stow_fold(a.sort_name) >= ${p.add(foldForSearch(q.nameFrom))}`);
    if (q.nameBefore) w.push(`stow_fold(a.sort_name) < ${p.add(foldForSearch(q.nameBefore))}`);
    // Links are matched as sets computed once (item_links_target index), not per item.
    const linkedTo = (targets: string, kinds: string[], roles?: string[]) => {
      const cond = `l.target_id IN ${targets} AND l.kind IN ${p.list(kinds)}${roles?.length ? ` AND l.role IN ${p.list(roles)}` : ''}`;
      // Albums and series carry few links themselves: they match through their tracks and episodes too.
      w.push(`(a.id IN (SELECT l.item_id FROM item_links l WHERE ${cond})
        OR (a.is_folder = 1 AND (a.id IN (SELECT c.album_id FROM item_links l JOIN items c ON c.id = l.item_id WHERE ${cond})
          OR a.id IN (SELECT c.series_id FROM item_links l JOIN items c ON c.id = l.item_id WHERE ${cond}))))`);
    };
    if (q.genres?.length) {
      linkedTo(
        `(SELECT g.id FROM items g WHERE g.type IN ('Genre', 'MusicGenre') AND stow_fold(g.name) IN ${p.list(q.genres.map(foldForSearch))})`,
        ['genre', 'musicgenre'],
      );
    }
    const linked = (ids: string[] | undefined, kinds: string[], roles?: string[]) => {
      if (ids?.length) linkedTo(p.list(ids), kinds, roles);
    };
    linked(q.genreIds, ['genre', 'musicgenre']);
    linked(q.studioIds, ['studio']);
    linked(q.personIds, ['person'], q.personTypes);
    linked(q.artistIds, ['artist', 'albumartist']);
    linked(q.albumArtistIds, ['albumartist']);
    return w;
  }

  private orderBy(q: ItemQuery, scope: Scope): string {
    const keys = (q.sortBy ?? []).map((k) => SORT_COLUMNS[k.toLowerCase()]).filter((k): k is string => !!k);
    if (keys.length === 0) return [...scope.defaultOrder, 'a.id'].join(', ');
    const orders = q.sortOrder ?? [];
    const terms = keys.map((col, i) => {
      const dir = (orders[i] ?? orders[0]) === 'Descending' ? 'DESC' : 'ASC';
      // Items without a value go last either way (SQLite puts NULL first when ascending).
      if (col === 'random()') return col;
      return NOT_NULL_SORT_COLUMNS.has(col) ? `${col} ${dir}` : `${col} IS NULL, ${col} ${dir}`;
    });
    return [...terms, 'a.sort_name', 'a.id'].join(', ');
  }
}

export interface ByNameCounts {
  item_count: number;
  movie_count: number;
  series_count: number;
  episode_count: number;
  song_count: number;
  album_count: number;
}

function indexOrder(): string[] {
  return ['a.parent_index_number IS NULL', 'a.parent_index_number', 'a.index_number IS NULL', 'a.index_number', 'a.sort_name'];
}

/**
 * Played as Emby shows it: a file item by its user data; a folder when it has playable descendants and
 * none of them is unplayed. Each folder type reaches its descendants through one indexed column (an OR
 * over all of them defeats the indexes: measured 2.6 s for a 200-series page on a 20 000-item library).
 */
function playedSql(user: string): string {
  const via = (from: string) => {
    const playable = `c.is_folder = 0 AND c.media_type IS NOT NULL`;
    return `(EXISTS (SELECT 1 FROM ${from} AND ${playable})
      AND NOT EXISTS (SELECT 1 FROM ${from} AND ${playable} AND NOT EXISTS (
        SELECT 1 FROM user_data cu WHERE cu.item_id = c.id AND cu.user_id = ${user} AND cu.played = 1)))`;
  };
  return `(CASE
    WHEN a.is_folder = 0 THEN COALESCE(ud.played, 0)
    WHEN a.type = 'Series' THEN ${via('items c WHERE c.series_id = a.id')}
    WHEN a.type = 'MusicAlbum' THEN ${via('items c WHERE c.album_id = a.id')}
    WHEN a.type = 'CollectionFolder' THEN ${via('items c WHERE c.top_parent_id = a.id')}
    WHEN a.type IN ('BoxSet', 'Playlist') THEN ${via('folder_entries fe JOIN items c ON c.id = fe.item_id WHERE fe.folder_id = a.id')}
    WHEN a.type IN ('Genre', 'MusicGenre', 'Studio', 'MusicArtist') THEN ${via('item_links l JOIN items c ON c.id = l.item_id WHERE l.target_id = a.id')}
    ELSE ${via('items c WHERE c.parent_id = a.id')} END)`;
}
