/**
 * The moving categories a user can browse and sync (API.md §5.2): Latest, Resume, Next Up. Exported as
 * plain functions over the items repository so the sync core's expansion gets exactly what the user sees.
 * No implicit limits here: routes apply the page size, a sync job takes everything (or its ItemLimit).
 */
import { notFound } from '../errors.js';
import type { ItemQuery, ItemQueryResult, ItemRow } from './itemsRepo.js';

/** What the categories read (`ItemsRepo` fits). */
export interface CategorySource {
  getVisible(userId: string, id: string): ItemRow | undefined;
  query(q: ItemQuery): ItemQueryResult;
  queryIds(q: ItemQuery): string[];
  nextUp(q: { userId: string; seriesId?: string; parentId?: string; startIndex?: number; limit?: number }): ItemQueryResult;
}

/** A parent the user may not see is unknown (404), for browsing and for sync expansion alike. */
function requireParent(repo: CategorySource, q: { userId: string; parentId?: string }): void {
  if (q.parentId !== undefined && !repo.getVisible(q.userId, q.parentId)) throw notFound('Item not found');
}

export interface CategoryQuery {
  userId: string;
  /** A view, series, folder… to look under; the whole library when absent. */
  parentId?: string;
  startIndex?: number;
  limit?: number;
  includeItemTypes?: string[];
  mediaTypes?: string[];
  isPlayed?: boolean;
  enableTotalRecordCount?: boolean;
}

/** Newest non-folder media first (DateCreated desc, then SortName). */
export function latestItems(repo: CategorySource, q: CategoryQuery): ItemRow[] {
  requireParent(repo, q);
  return repo.query(latestQuery(q)).rows;
}

/**
 * Latest as Emby shows it (`GroupItems`, on by default): several new episodes of one series become the
 * series, several new songs of one album the album, in the place of the newest of them; a lone new
 * episode or song stays itself. Only the browsing answer is grouped — syncing "Latest" still takes the
 * items (`latestItemIds`). Reads up to `scan` of the newest items to fill `limit` entries.
 */
export function latestGrouped(
  repo: CategorySource,
  q: CategoryQuery & { limit: number },
  scan = Math.min(1000, Math.max(200, q.limit * 10)),
): ItemRow[] {
  requireParent(repo, q);
  const rows = repo.query(latestQuery({ ...q, startIndex: 0, limit: scan })).rows;
  const out: ItemRow[] = [];
  const groups = new Map<string, { at: number; count: number }>();
  for (const row of rows) {
    const parent = row.type === 'Episode' ? row.series_id : row.type === 'Audio' ? row.album_id : null;
    const group = parent ? groups.get(parent) : undefined;
    if (group) {
      group.count++;
      continue;
    }
    if (parent) groups.set(parent, { at: out.length, count: 1 });
    out.push(row);
  }
  for (const [parentId, group] of groups) {
    if (group.count < 2) continue;
    const parent = repo.getVisible(q.userId, parentId);
    if (parent) out[group.at] = parent;
  }
  return out.slice(0, q.limit);
}

/** The ids of `latestItems`, for sync expansion of whole libraries. */
export function latestItemIds(repo: CategorySource, q: CategoryQuery): string[] {
  requireParent(repo, q);
  return repo.queryIds(latestQuery(q));
}

function latestQuery(q: CategoryQuery): ItemQuery {
  return {
    userId: q.userId,
    parentId: q.parentId,
    recursive: true,
    isFolder: false,
    hasMedia: true,
    includeItemTypes: q.includeItemTypes,
    mediaTypes: q.mediaTypes,
    isPlayed: q.isPlayed,
    sortBy: ['DateCreated', 'SortName'],
    sortOrder: ['Descending', 'Ascending'],
    startIndex: q.startIndex,
    limit: q.limit,
    enableTotalRecordCount: false,
  };
}

/** Started, unfinished items (videos unless MediaTypes says otherwise), the most recently played first. */
export function resumeItems(repo: CategorySource, q: CategoryQuery): ItemQueryResult {
  requireParent(repo, q);
  return repo.query({
    userId: q.userId,
    parentId: q.parentId,
    recursive: true,
    isFolder: false,
    hasMedia: true,
    isResumable: true,
    isPlayed: false,
    includeItemTypes: q.includeItemTypes,
    mediaTypes: q.mediaTypes?.length ? q.mediaTypes : ['Video'],
    sortBy: ['DatePlayed'],
    sortOrder: ['Descending'],
    startIndex: q.startIndex,
    limit: q.limit,
    enableTotalRecordCount: q.enableTotalRecordCount,
  });
}

/** The next episode of each series the user is watching, most recently watched series first. */
export function nextUpEpisodes(repo: CategorySource, q: CategoryQuery & { seriesId?: string }): ItemQueryResult {
  requireParent(repo, q);
  return repo.nextUp({ userId: q.userId, seriesId: q.seriesId, parentId: q.parentId, startIndex: q.startIndex, limit: q.limit });
}
