/**
 * The moving categories a user can browse and sync (API.md §5.2): Latest, Resume, Next Up. Exported as
 * plain functions over the items repository so the sync core's expansion gets exactly what the user sees.
 * No implicit limits here: routes apply the page size, a sync job takes everything (or its ItemLimit).
 */
import type { ItemQuery, ItemQueryResult, ItemRow, ItemsRepo } from './itemsRepo.js';

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
export function latestItems(repo: ItemsRepo, q: CategoryQuery): ItemRow[] {
  return repo.query(latestQuery(q)).rows;
}

/** The ids of `latestItems`, for sync expansion of whole libraries. */
export function latestItemIds(repo: ItemsRepo, q: CategoryQuery): string[] {
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
export function resumeItems(repo: ItemsRepo, q: CategoryQuery): ItemQueryResult {
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
export function nextUpEpisodes(repo: ItemsRepo, q: CategoryQuery & { seriesId?: string }): ItemQueryResult {
  return repo.nextUp({ userId: q.userId, seriesId: q.seriesId, parentId: q.parentId, startIndex: q.startIndex, limit: q.limit });
}
