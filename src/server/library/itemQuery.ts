/**
 * `GET /Users/{uid}/Items` as one SQL statement, built with Kysely: which items the ParentId/Recursive
 * pair selects (`scopeOf`), the filters Emby clients send (`filtersOf`), the visibility rule, and the
 * order. Every filter uses an index or a set computed once per statement — a page of a 20 000-item library
 * must not cost a query per item, nor a scan per row. Sort keys and constants are fixed SQL text; every
 * value from a request is a bound parameter (lists as one JSON parameter). The per-viewer fragments
 * (visibility, played state) are compiled once and read the user from the named parameter `@viewer`:
 * run these statements with `{ viewer: userId }`.
 */
import { sql, type Expression, type ExpressionBuilder, type RawBuilder, type SelectQueryBuilder, type SqlBool } from 'kysely';
import { jsonList, type LibraryQueryBuilder } from '../db/queryBuilder.js';
import type { ItemsTable, LibraryTables, UserDataTable } from '../db/tables.js';
import { VIEWER, visibleToViewer } from './itemVisibility.js';
import type { ItemQuery, ItemRow } from './itemsRepo.js';
import { BY_NAME_TYPES, isByNameType, isEntryFolderType } from './itemTypes.js';

export type ItemTables = LibraryTables & { a: ItemsTable; ud: UserDataTable };
type Eb = ExpressionBuilder<ItemTables, 'a' | 'ud'>;
type Condition = Expression<SqlBool>;
/** Items (`a`) with the user's data (`ud`), the scope's joins and every condition: select, order and page next. */
export type ItemFrom = SelectQueryBuilder<ItemTables, 'a' | 'ud', object>;

interface Scope {
  where: Condition[];
  /** List a box set's or playlist's entries (joined as `fe`, in their order). */
  entriesOf?: string;
  defaultOrder: string[];
}

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

/** Case and accents folded, so "amelie" finds "Amélie" (registered as the SQL function `stow_fold`). */
export function foldForSearch(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** `stow_fold(column) LIKE pattern` with `\` as the escape character. */
export function foldedLike(column: string, pattern: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`stow_fold(${sql.ref(column)}) LIKE ${pattern} ESCAPE '\\'`;
}

/** Name filters shared by item and items-by-name queries: search term, alphabet bar. */
export function nameFilters(column: { name: string; sortName: string }, q: ItemQuery): Condition[] {
  const w: Condition[] = [];
  if (q.searchTerm) w.push(foldedLike(column.name, `%${escapeLike(foldForSearch(q.searchTerm))}%`));
  if (q.nameStartsWith) w.push(foldedLike(column.sortName, `${escapeLike(foldForSearch(q.nameStartsWith))}%`));
  if (q.nameFrom) w.push(sql<SqlBool>`stow_fold(${sql.ref(column.sortName)}) >= ${foldForSearch(q.nameFrom)}`);
  if (q.nameBefore) w.push(sql<SqlBool>`stow_fold(${sql.ref(column.sortName)}) < ${foldForSearch(q.nameBefore)}`);
  return w;
}

/** Sort keys Emby clients send → SQL over `a`/`ud` (fixed text, never input). */
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

const BY_SORT_NAME = ['a.sort_name'];
const INDEX_ORDER = ['a.parent_index_number IS NULL', 'a.parent_index_number', 'a.index_number IS NULL', 'a.index_number', 'a.sort_name'];
/** Folders whose children are listed in index order (season/episode, disc/track). */
const INDEXED_FOLDER_TYPES: ReadonlySet<string> = new Set(['Series', 'Season', 'MusicAlbum']);

/**
 * Which items the ParentId/Recursive pair selects, and their natural order. `parent` is the ParentId's row
 * if the user may see it (undefined: nothing lies under it for them).
 */
export function scopeOf(q: ItemQuery, parent: ItemRow | undefined): Scope {
  if (!q.parentId) {
    if (!q.recursive && !q.ids && !q.seriesId) {
      // The user's root: the library views that hold something.
      const holdsSomething = sql<SqlBool>`EXISTS (SELECT 1 FROM items c WHERE c.top_parent_id = a.id)`;
      return { where: [sql<SqlBool>`a.type = 'CollectionFolder'`, holdsSomething], defaultOrder: BY_SORT_NAME };
    }
    // The whole library: items-by-name and views only when asked for by type (or by id).
    const where =
      !q.ids && !q.includeItemTypes?.length ? [sql<SqlBool>`a.type NOT IN ('CollectionFolder', ${sql.join(BY_NAME_TYPES)})`] : [];
    return { where, defaultOrder: q.seriesId ? INDEX_ORDER : BY_SORT_NAME };
  }
  // Services answer 404 for a parent the user may not see before asking; here it simply holds nothing.
  if (!parent) return { where: [sql<SqlBool>`0`], defaultOrder: BY_SORT_NAME };
  const id = parent.id;
  if (isByNameType(parent.type)) {
    return { where: [sql<SqlBool>`a.id IN (SELECT item_id FROM item_links WHERE target_id = ${id})`], defaultOrder: BY_SORT_NAME };
  }
  if (isEntryFolderType(parent.type) && !q.recursive) return { where: [], entriesOf: id, defaultOrder: ['fe.position'] };
  if (parent.type === 'CollectionFolder') {
    return { where: [q.recursive ? sql<SqlBool>`a.top_parent_id = ${id}` : sql<SqlBool>`a.parent_id = ${id}`], defaultOrder: BY_SORT_NAME };
  }
  const order = INDEXED_FOLDER_TYPES.has(parent.type) ? INDEX_ORDER : BY_SORT_NAME;
  if (!q.recursive) return { where: [sql<SqlBool>`a.parent_id = ${id}`], defaultOrder: order };
  if (parent.type === 'Series' || parent.type === 'MusicAlbum') {
    // The scanner fills series_id / album_id on every descendant: an indexed lookup, no recursion.
    const col = sql.ref(parent.type === 'Series' ? 'a.series_id' : 'a.album_id');
    return { where: [sql<SqlBool>`(${col} = ${id} OR a.parent_id = ${id})`], defaultOrder: order };
  }
  // Box sets, playlists and any other folder: walk parent links and entries (a box set may hold a series).
  const tree = sql<SqlBool>`a.id IN (WITH RECURSIVE tree(id) AS (
      SELECT item_id FROM folder_entries WHERE folder_id = ${id}
      UNION SELECT id FROM items WHERE parent_id = ${id}
      UNION SELECT i.id FROM items i JOIN tree t ON i.parent_id = t.id
      UNION SELECT e.item_id FROM folder_entries e JOIN tree t ON e.folder_id = t.id
    ) SELECT id FROM tree)`;
  return { where: [tree], defaultOrder: isEntryFolderType(parent.type) ? BY_SORT_NAME : order };
}

/** The filters of `q` over `a` (the item) and `ud` (the user's data for it). */
export function filtersOf(eb: Eb, q: ItemQuery): Condition[] {
  const w: Condition[] = [];
  if (q.includeItemTypes?.length) w.push(eb('a.type', 'in', jsonList(q.includeItemTypes.map(canonicalItemType))));
  if (q.excludeItemTypes?.length) w.push(eb('a.type', 'not in', jsonList(q.excludeItemTypes.map(canonicalItemType))));
  if (q.mediaTypes?.length) w.push(eb('a.media_type', 'in', jsonList(q.mediaTypes.map((m) => MEDIA_TYPES.get(m.toLowerCase()) ?? m))));
  if (q.isFolder !== undefined) w.push(eb('a.is_folder', '=', q.isFolder ? 1 : 0));
  if (q.hasMedia) w.push(eb.and([eb('a.media_type', 'is not', null), eb('a.path', 'is not', null), eb('a.is_folder', '=', 0)]));
  if (q.years?.length) w.push(eb('a.production_year', 'in', jsonList(q.years)));
  if (q.seriesId) w.push(eb('a.series_id', '=', q.seriesId));
  if (q.seasonId) w.push(eb('a.season_id', '=', q.seasonId));
  if (q.parentIndexNumber !== undefined) w.push(eb('a.parent_index_number', '=', q.parentIndexNumber));
  // Positive user-data filters start from the user's few user_data rows instead of every item.
  const mine = (flag: 'is_favorite = 1' | 'playback_position_ticks > 0') =>
    sql<SqlBool>`a.id IN (SELECT item_id FROM user_data WHERE user_id = ${sql.raw(VIEWER)} AND ${sql.raw(flag)})`;
  if (q.isFavorite === true) w.push(mine('is_favorite = 1'));
  if (q.isFavorite === false) w.push(sql<SqlBool>`COALESCE(ud.is_favorite, 0) = 0`);
  if (q.isResumable) w.push(mine('playback_position_ticks > 0'));
  if (q.isPlayed !== undefined) w.push(sql<SqlBool>`${playedOfViewer()} = ${q.isPlayed ? 1 : 0}`);
  w.push(...nameFilters({ name: 'a.name', sortName: 'a.sort_name' }, q));
  if (q.genres?.length) {
    const names = q.genres.map(foldForSearch);
    const genres = sql<string>`(SELECT g.id FROM items g WHERE g.type IN ('Genre', 'MusicGenre') AND stow_fold(g.name) IN ${jsonList(names)})`;
    w.push(linkedTo(genres, ['genre', 'musicgenre']));
  }
  const linked = (ids: string[] | undefined, kinds: string[], roles?: string[]) => {
    if (ids?.length) w.push(linkedTo(jsonList(ids), kinds, roles));
  };
  linked(q.genreIds, ['genre', 'musicgenre']);
  linked(q.studioIds, ['studio']);
  linked(q.personIds, ['person'], q.personTypes);
  linked(q.artistIds, ['artist', 'albumartist']);
  linked(q.albumArtistIds, ['albumartist']);
  return w;
}

/**
 * Items linked to any of `targets` (genres, studios, people, artists) as sets computed once (the
 * item_links_target index), not per item. Albums and series carry few links themselves: they match
 * through their tracks and episodes too.
 */
function linkedTo(targets: RawBuilder<string>, kinds: string[], roles?: string[]): Condition {
  const role = roles?.length ? sql` AND l.role IN ${jsonList(roles)}` : sql``;
  const cond = sql`l.target_id IN ${targets} AND l.kind IN ${jsonList(kinds)}${role}`;
  return sql<SqlBool>`(a.id IN (SELECT l.item_id FROM item_links l WHERE ${cond})
    OR (a.is_folder = 1 AND (a.id IN (SELECT c.album_id FROM item_links l JOIN items c ON c.id = l.item_id WHERE ${cond})
      OR a.id IN (SELECT c.series_id FROM item_links l JOIN items c ON c.id = l.item_id WHERE ${cond}))))`;
}

/**
 * Played as Emby shows it: a file item by its user data; a folder when it has playable descendants and
 * none of them is unplayed. Each folder type reaches its descendants through one indexed column (an OR
 * over all of them defeats the indexes: measured 2.6 s for a 200-series page on a 20 000-item library).
 * Fixed text for `@viewer`, so it is built once.
 */
const PLAYED_OF_VIEWER = (() => {
  const via = (from: string) => {
    const playable = 'c.is_folder = 0 AND c.media_type IS NOT NULL';
    return `(EXISTS (SELECT 1 FROM ${from} AND ${playable})
      AND NOT EXISTS (SELECT 1 FROM ${from} AND ${playable} AND NOT EXISTS (
        SELECT 1 FROM user_data cu WHERE cu.item_id = c.id AND cu.user_id = ${VIEWER} AND cu.played = 1)))`;
  };
  return sql.raw<number>(`(CASE
    WHEN a.is_folder = 0 THEN COALESCE(ud.played, 0)
    WHEN a.type = 'Series' THEN ${via('items c WHERE c.series_id = a.id')}
    WHEN a.type = 'MusicAlbum' THEN ${via('items c WHERE c.album_id = a.id')}
    WHEN a.type = 'CollectionFolder' THEN ${via('items c WHERE c.top_parent_id = a.id')}
    WHEN a.type IN ('BoxSet', 'Playlist') THEN ${via('folder_entries fe JOIN items c ON c.id = fe.item_id WHERE fe.folder_id = a.id')}
    WHEN a.type IN ('Genre', 'MusicGenre', 'Studio', 'MusicArtist') THEN ${via('item_links l JOIN items c ON c.id = l.item_id WHERE l.target_id = a.id')}
    ELSE ${via('items c WHERE c.parent_id = a.id')} END)`);
})();

function playedOfViewer(): RawBuilder<number> {
  return PLAYED_OF_VIEWER;
}

/** The order: the requested sort keys (missing values last), else the scope's natural order; ties by name and id. */
function orderOf(q: ItemQuery, scope: Scope): RawBuilder<unknown> {
  const keys = (q.sortBy ?? []).map((k) => SORT_COLUMNS[k.toLowerCase()]).filter((k): k is string => !!k);
  if (keys.length === 0) return sql.raw([...scope.defaultOrder, 'a.id'].join(', '));
  const orders = q.sortOrder ?? [];
  const terms = keys.map((col, i) => {
    const dir = (orders[i] ?? orders[0]) === 'Descending' ? 'DESC' : 'ASC';
    // Items without a value go last either way (SQLite puts NULL first when ascending).
    if (col === 'random()') return col;
    return NOT_NULL_SORT_COLUMNS.has(col) ? `${col} ${dir}` : `${col} IS NULL, ${col} ${dir}`;
  });
  return sql.raw([...terms, 'a.sort_name', 'a.id'].join(', '));
}

/** `LIMIT … OFFSET …` when the query pages (`LIMIT -1` is SQLite's "no limit"). */
export function paged<T extends SelectQueryBuilder<any, any, any>>(query: T, q: { limit?: number; startIndex?: number }): T {
  if (q.limit === undefined && !q.startIndex) return query;
  return query.limit(q.limit ?? -1).offset(q.startIndex ?? 0) as T;
}

/** The statements for `q`, built on demand: rows (with the playlist entry id when listing one), ids only, the count. */
export function itemStatements(qb: LibraryQueryBuilder, q: ItemQuery, parent: ItemRow | undefined) {
  const scope = scopeOf(q, parent);
  const ids = q.ids ? [...new Set(q.ids)] : undefined;
  const from = () =>
    qb
      .selectFrom('items as a')
      .leftJoin('user_data as ud', (join) => join.onRef('ud.item_id', '=', 'a.id').on('ud.user_id', '=', sql.raw<string>(VIEWER)))
      .$if(scope.entriesOf !== undefined, (s) =>
        s.innerJoin('folder_entries as fe', (join) => join.onRef('fe.item_id', '=', 'a.id').on('fe.folder_id', '=', scope.entriesOf!)),
      )
      .$if(ids !== undefined, (s) =>
        s.innerJoin(sql<{ key: number; value: string }>`json_each(${JSON.stringify(ids)})`.as('req'), 'req.value', 'a.id'),
      )
      .where((eb) => eb.and([visibleToViewer('a'), ...scope.where, ...filtersOf(eb, q)]));
  // Listed by id without a sort: in the order asked.
  const order = () => (ids && !q.sortBy?.length ? sql`req.key` : orderOf(q, scope));
  return {
    rows: () =>
      paged(
        from()
          .selectAll('a')
          .$if(scope.entriesOf !== undefined, (s) => s.select(sql<string>`fe.entry_id`.as('playlist_item_id')))
          .orderBy(order()),
        q,
      ),
    ids: () => paged(from().select('a.id').orderBy(order()), q),
    count: () => from().select(sql<number>`COUNT(*)`.as('n')),
  };
}
