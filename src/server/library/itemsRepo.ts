/**
 * The library's read side: item queries as Emby's `GET /Users/{uid}/Items` understands them, built as one
 * SQL statement (plus one COUNT for TotalRecordCount), and the batched look-ups the DTO mapper needs
 * (links, folder counts). Nothing here runs a query per item: a page of 100 items costs a fixed handful of
 * statements, which is what keeps a 20 000-item library fast.
 */
import { sql, type Expression, type SqlBool } from 'kysely';
import type { Db } from '../db/connection.js';
import { createQueryBuilder, jsonList, SqlRunner, type LibraryQueryBuilder } from '../db/queryBuilder.js';
import type { ItemsTable } from '../db/tables.js';
import { canonicalItemType, foldForSearch, itemStatements, nameFilters, paged, scopeOf } from './itemQuery.js';
import { VIEWER, visibleToViewer } from './itemVisibility.js';
import { isByNameType, isEntryFolderType } from './itemTypes.js';

export { canonicalItemType, foldForSearch } from './itemQuery.js';

/** An `items` row; `playlist_item_id` is set when listing a playlist or box set (Emby's PlaylistItemId). */
export type ItemRow = ItemsTable & { playlist_item_id?: string | null };

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

export interface ByNameCounts {
  item_count: number;
  movie_count: number;
  series_count: number;
  episode_count: number;
  song_count: number;
  album_count: number;
}

/** Descendants of each folder kind, for `folderStats`: each kind reaches them through one indexed relation. */
type FolderGroup = 'series' | 'album' | 'view' | 'entries' | 'byName' | 'other';

function groupOf(type: string): FolderGroup {
  if (type === 'Series') return 'series';
  if (type === 'MusicAlbum') return 'album';
  if (type === 'CollectionFolder') return 'view';
  if (isEntryFolderType(type)) return 'entries';
  if (isByNameType(type)) return 'byName';
  return 'other';
}

export class ItemsRepo {
  private readonly qb: LibraryQueryBuilder;
  private readonly sql: SqlRunner;
  private readonly byId;
  private readonly visibleById;

  constructor(db: Db) {
    db.function('stow_fold', { deterministic: true }, (s: unknown) => (typeof s === 'string' ? foldForSearch(s) : s));
    this.qb = createQueryBuilder(db);
    this.sql = new SqlRunner(db, this.qb);
    this.byId = db.prepare('SELECT * FROM items WHERE id = ?');
    this.visibleById = db.prepare(
      this.qb.selectFrom('items as a').selectAll('a').where('a.id', '=', sql.raw<string>('@id')).where(visibleToViewer('a')).compile().sql,
    );
  }

  get(id: string): ItemRow | undefined {
    return this.byId.get(id) as ItemRow | undefined;
  }

  /** The item if it exists and the user may see it. */
  getVisible(userId: string, id: string): ItemRow | undefined {
    return this.visibleById.get({ id, viewer: userId }) as ItemRow | undefined;
  }

  /** Rows for ids, in the order asked, unknown ids skipped. */
  getMany(ids: readonly string[]): ItemRow[] {
    if (ids.length === 0) return [];
    const rows = this.sql.all(this.qb.selectFrom('items').selectAll().where('id', 'in', jsonList(ids)));
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id)).filter((r): r is ItemRow => !!r);
  }

  query(q: ItemQuery): ItemQueryResult {
    const statements = itemStatements(this.qb, q, this.parentOf(q));
    const viewer = { viewer: q.userId };
    const rows: ItemRow[] = this.sql.all(statements.rows(), viewer);
    // A page that is not full ends the list, so its total is known without counting.
    let total = rows.length + (q.startIndex ?? 0);
    const pageFull = q.limit !== undefined && rows.length >= q.limit;
    if (q.enableTotalRecordCount !== false && (pageFull || (rows.length === 0 && q.startIndex))) {
      total = this.sql.get(statements.count(), viewer)!.n;
    }
    return { rows, total };
  }

  /**
   * The ids `query` would return, in the same order. Sync expansion of a 20 000-item category needs only
   * the ids; reading whole rows costs ~10× more.
   */
  queryIds(q: ItemQuery): string[] {
    return this.sql.pluck(itemStatements(this.qb, q, this.parentOf(q)).ids(), { viewer: q.userId });
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
    const groups: Record<FolderGroup, string[]> = { series: [], album: [], view: [], entries: [], byName: [], other: [] };
    for (const f of folders) {
      out.set(f.id, { childCount: 0, recursiveCount: 0, playedCount: 0 });
      groups[groupOf(f.type)].push(f.id);
    }
    const ids = (g: FolderGroup) => jsonList(groups[g]);
    const media = sql`c.is_folder = 0 AND c.media_type IS NOT NULL AND ${visibleToViewer('c')}`;
    const recursive = sql<{ id: string; n: number; played: number }>`WITH d(k, id) AS (
        SELECT c.series_id, c.id FROM items c WHERE c.series_id IN ${ids('series')} AND ${media}
        UNION ALL SELECT c.album_id, c.id FROM items c WHERE c.album_id IN ${ids('album')} AND ${media}
        UNION ALL SELECT c.top_parent_id, c.id FROM items c WHERE c.top_parent_id IN ${ids('view')} AND ${media}
        UNION ALL SELECT fe.folder_id, c.id FROM folder_entries fe JOIN items c ON c.id = fe.item_id
          WHERE fe.folder_id IN ${ids('entries')} AND ${media}
        UNION ALL SELECT l.target_id, c.id FROM item_links l JOIN items c ON c.id = l.item_id
          WHERE l.target_id IN ${ids('byName')} AND ${media}
        UNION ALL SELECT c.parent_id, c.id FROM items c WHERE c.parent_id IN ${ids('other')} AND ${media}
      )
      SELECT d.k AS id, COUNT(DISTINCT d.id) AS n, COUNT(DISTINCT CASE WHEN ud.played = 1 THEN d.id END) AS played
      FROM d LEFT JOIN user_data ud ON ud.item_id = d.id AND ud.user_id = ${sql.raw(VIEWER)}
      GROUP BY d.k`;
    const direct = sql<{ id: string; n: number }>`
      SELECT parent_id AS id, COUNT(*) AS n FROM items WHERE parent_id IN ${jsonList(folders.map((f) => f.id))} GROUP BY parent_id
      UNION ALL
      SELECT fe.folder_id, COUNT(*) FROM folder_entries fe JOIN items x ON x.id = fe.item_id
        WHERE fe.folder_id IN ${ids('entries')} GROUP BY fe.folder_id
      UNION ALL
      SELECT target_id, COUNT(*) FROM item_links WHERE target_id IN ${ids('byName')} GROUP BY target_id`;
    for (const r of this.sql.all(recursive, { viewer: userId }))
      Object.assign(out.get(r.id)!, { recursiveCount: r.n, playedCount: r.played });
    for (const r of this.sql.all(direct)) out.get(r.id)!.childCount += r.n;
    return out;
  }

  /** Items-by-name links (genres, studios, people, artists) of many items, with the targets' names. */
  links(itemIds: readonly string[]): Map<string, ItemLink[]> {
    const out = new Map<string, ItemLink[]>();
    if (itemIds.length === 0) return out;
    const rows = this.sql.all(
      this.qb
        .selectFrom('item_links as l')
        .innerJoin('items as t', 't.id', 'l.target_id')
        .select(['l.item_id as itemId', 'l.target_id as targetId', 't.name as targetName', 't.type as targetType'])
        .select(['t.image_tag as targetImageTag', 'l.kind', 'l.role'])
        .where('l.item_id', 'in', jsonList(itemIds))
        .orderBy('l.item_id')
        .orderBy('l.position')
        .orderBy('t.sort_name'),
    );
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
    const scope = scopeOf({ ...q, recursive: true, includeItemTypes: undefined }, this.parentOf(q));
    const inner: Array<Expression<SqlBool>> = [visibleToViewer('a'), ...scope.where];
    if (q.includeItemTypes?.length) inner.push(sql<SqlBool>`a.type IN ${jsonList(q.includeItemTypes.map(canonicalItemType))}`);
    if (q.personTypes?.length) inner.push(sql<SqlBool>`l.role IN ${jsonList(q.personTypes)}`);
    const entries =
      scope.entriesOf !== undefined ? sql` JOIN folder_entries fe ON fe.item_id = a.id AND fe.folder_id = ${scope.entriesOf}` : sql``;
    const counts = sql<ByNameCounts & { id: string }>`(SELECT l.target_id AS id, COUNT(DISTINCT a.id) AS item_count,
        COUNT(DISTINCT CASE WHEN a.type = 'Movie' THEN a.id END) AS movie_count,
        COUNT(DISTINCT CASE WHEN a.type = 'Series' THEN a.id END) AS series_count,
        COUNT(DISTINCT CASE WHEN a.type = 'Episode' THEN a.id END) AS episode_count,
        COUNT(DISTINCT CASE WHEN a.type = 'Audio' THEN a.id END) AS song_count,
        COUNT(DISTINCT CASE WHEN a.type = 'MusicAlbum' THEN a.id END) AS album_count
      FROM item_links l JOIN items a ON a.id = l.item_id${entries}
      WHERE l.kind IN ${jsonList(q.linkKinds)} AND ${sql.join(inner, sql` AND `)}
      GROUP BY l.target_id)`;
    const from = this.qb
      .selectFrom('items as t')
      .innerJoin(counts.as('c'), (join) => join.onRef('c.id', '=', 't.id'))
      .leftJoin('user_data as ud', (join) => join.onRef('ud.item_id', '=', 't.id').on('ud.user_id', '=', sql.raw<string>(VIEWER)))
      .where((eb) => {
        const w = [eb('t.type', '=', q.byNameType), ...nameFilters({ name: 't.name', sortName: 't.sort_name' }, q)];
        if (q.isFavorite !== undefined) w.push(sql<SqlBool>`COALESCE(ud.is_favorite, 0) = ${q.isFavorite ? 1 : 0}`);
        if (q.ids?.length) w.push(eb('t.id', 'in', jsonList(q.ids)));
        return eb.and(w);
      });
    const desc = q.sortOrder?.[0] === 'Descending' ? 'DESC' : 'ASC';
    const sortKey = (q.sortBy ?? []).map((s) => s.toLowerCase()).find((s) => s === 'random' || s === 'name' || s === 'sortname');
    const order = sortKey === 'random' ? sql`random()` : sql.raw(`t.sort_name ${desc}, t.id`);
    const viewer = { viewer: q.userId };
    const rows = this.sql.all(paged(from.selectAll(['t', 'c']).orderBy(order), q), viewer);
    const total = q.enableTotalRecordCount === false ? rows.length : this.sql.get(from.select(sql<number>`COUNT(*)`.as('n')), viewer)!.n;
    return { rows, total };
  }

  /**
   * For each series the user has played an episode of: the first unplayed episode after the furthest
   * played one (season, then episode order; specials left out), series by last play, most recent first.
   * Series never started do not appear (Emby semantics).
   */
  nextUp(q: { userId: string; seriesId?: string; parentId?: string; startIndex?: number; limit?: number }): ItemQueryResult {
    const user = sql.raw(VIEWER);
    const scope = q.parentId ? scopeOf({ userId: q.userId, parentId: q.parentId, recursive: true }, this.parentOf(q)) : undefined;
    const where = [
      sql`a.type = 'Episode' AND a.series_id IS NOT NULL AND COALESCE(a.parent_index_number, 1) <> 0`,
      visibleToViewer('a'),
      ...(scope?.where ?? []),
      // Only series with a played episode can have a next one: start from the user's played rows.
      sql`a.series_id IN (SELECT e.series_id FROM user_data u JOIN items e ON e.id = u.item_id
        WHERE u.user_id = ${user} AND u.played = 1 AND e.series_id IS NOT NULL)`,
    ];
    if (q.seriesId) where.push(sql`a.series_id = ${q.seriesId}`);
    const cte = sql`WITH ep AS (
        SELECT a.id, a.series_id, a.sort_name,
          COALESCE(a.parent_index_number, 1) * 1000000 + COALESCE(a.index_number, 0) AS ord,
          COALESCE(ud.played, 0) AS played, ud.last_played_date AS lp
        FROM items a LEFT JOIN user_data ud ON ud.item_id = a.id AND ud.user_id = ${user}
        WHERE ${sql.join(where, sql` AND `)}
      ),
      started AS (
        SELECT series_id, MAX(CASE WHEN played = 1 THEN ord END) AS last_ord, MAX(lp) AS last_date
        FROM ep GROUP BY series_id HAVING MAX(played) = 1
      ),
      nxt AS (
        SELECT ep.id, s.last_date, ROW_NUMBER() OVER (PARTITION BY ep.series_id ORDER BY ep.ord, ep.sort_name, ep.id) AS rn
        FROM ep JOIN started s ON s.series_id = ep.series_id
        WHERE ep.ord > s.last_ord AND ep.played = 0
      )`;
    const paging = q.limit !== undefined || q.startIndex ? sql` LIMIT ${q.limit ?? -1} OFFSET ${q.startIndex ?? 0}` : sql``;
    const rows = this.sql.all(
      sql<ItemRow>`${cte} SELECT a.* FROM nxt JOIN items a ON a.id = nxt.id WHERE nxt.rn = 1
      ORDER BY nxt.last_date DESC, a.series_name COLLATE NOCASE, a.id${paging}`,
      { viewer: q.userId },
    );
    const total = this.sql.get(sql<{ n: number }>`${cte} SELECT COUNT(*) AS n FROM nxt WHERE rn = 1`, { viewer: q.userId })!.n;
    return { rows, total };
  }

  /** The ParentId's row if the user may see it. */
  private parentOf(q: { userId: string; parentId?: string }): ItemRow | undefined {
    return q.parentId ? this.getVisible(q.userId, q.parentId) : undefined;
  }
}
