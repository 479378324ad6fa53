/** The library endpoints the shell browses with (Emby shapes, src/shared/api/items.ts). */
import type { BaseItemDto, QueryResult } from '../../shared/api/items';
import type { ApiClient } from './client';

/** What list views ask for: poster shape and whether the item could be synced (for the later sync UI). */
export const LIST_FIELDS = 'PrimaryImageAspectRatio,BasicSyncInfo';

export function getViews(api: ApiClient, userId: string): Promise<QueryResult<BaseItemDto>> {
  return api.get(`/Users/${userId}/Views`);
}

export interface ChildrenQuery {
  parentId: string;
  startIndex: number;
  limit: number;
  sortBy?: string;
}

export function getChildren(api: ApiClient, userId: string, q: ChildrenQuery): Promise<QueryResult<BaseItemDto>> {
  return api.get(`/Users/${userId}/Items`, {
    ParentId: q.parentId,
    SortBy: q.sortBy ?? 'SortName',
    Fields: LIST_FIELDS,
    StartIndex: q.startIndex,
    Limit: q.limit,
  });
}

export function getItem(api: ApiClient, userId: string, itemId: string): Promise<BaseItemDto> {
  return api.get(`/Users/${userId}/Items/${itemId}`);
}

export function getSeasons(api: ApiClient, userId: string, seriesId: string): Promise<QueryResult<BaseItemDto>> {
  return api.get(`/Shows/${seriesId}/Seasons`, { UserId: userId, Fields: LIST_FIELDS });
}

export function getEpisodes(api: ApiClient, userId: string, seriesId: string, seasonId?: string): Promise<QueryResult<BaseItemDto>> {
  return api.get(`/Shows/${seriesId}/Episodes`, { UserId: userId, SeasonId: seasonId, Fields: `${LIST_FIELDS},Overview` });
}

/** Album tracks in disc/track order, not by name (track 10 must not come before track 2). */
export function getTracks(api: ApiClient, userId: string, albumId: string): Promise<QueryResult<BaseItemDto>> {
  return api.get(`/Users/${userId}/Items`, {
    ParentId: albumId,
    SortBy: 'ParentIndexNumber,IndexNumber,SortName',
    Fields: LIST_FIELDS,
  });
}

export interface PosterSource {
  itemId: string;
  tag: string;
}

/**
 * Which image stands for an item: its own Primary, else its series' (episodes, seasons) or album's
 * (tracks) — Emby sends those parent tags exactly so clients need no extra request.
 */
export function posterSource(item: BaseItemDto): PosterSource | undefined {
  const own = item.ImageTags?.Primary;
  if (own) return { itemId: item.Id, tag: own };
  if (item.SeriesPrimaryImageTag && item.SeriesId) return { itemId: item.SeriesId, tag: item.SeriesPrimaryImageTag };
  if (item.AlbumPrimaryImageTag && item.AlbumId) return { itemId: item.AlbumId, tag: item.AlbumPrimaryImageTag };
  return undefined;
}

/** <img> cannot send headers, so the token rides as api_key (API.md §2 allows it for this). */
export function imageUrl(api: ApiClient, source: PosterSource, maxWidth: number): string {
  return api.url(`/Items/${source.itemId}/Images/Primary`, { maxWidth, tag: source.tag, api_key: api.accessToken });
}
