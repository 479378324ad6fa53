/** The library endpoints the shell browses with (Emby shapes, src/shared/api/items.ts). */
import type { BaseItemDto, QueryResult } from '../../shared/api/items';
import type { ApiClient } from './client';

/**
 * What list views ask for: poster shape, and the item's sync state on this device (SupportsSync,
 * SyncPercent, IsSynced, HasSyncJob come with SyncInfo; API.md §4 "Item sync info").
 */
export const LIST_FIELDS = 'PrimaryImageAspectRatio,SyncInfo';

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

/** Home rows (Emby's own calls): resumable videos, next episodes, and the newest items of one view. */
export function getResume(api: ApiClient, userId: string, parentId?: string, limit = 12): Promise<QueryResult<BaseItemDto>> {
  return api.get(`/Users/${userId}/Items/Resume`, { ParentId: parentId, Limit: limit, Fields: LIST_FIELDS, MediaTypes: 'Video' });
}

export function getNextUp(api: ApiClient, userId: string, parentId?: string, limit = 12): Promise<QueryResult<BaseItemDto>> {
  return api.get('/Shows/NextUp', { UserId: userId, ParentId: parentId, Limit: limit, Fields: LIST_FIELDS });
}

/** Latest answers with a plain array, not a QueryResult (an Emby quirk the server keeps). */
export function getLatest(api: ApiClient, userId: string, parentId: string, limit = 12): Promise<BaseItemDto[]> {
  return api.get(`/Users/${userId}/Items/Latest`, { ParentId: parentId, Limit: limit, Fields: LIST_FIELDS });
}

export function searchItems(api: ApiClient, userId: string, term: string, signal?: AbortSignal): Promise<QueryResult<BaseItemDto>> {
  return api.get(
    `/Users/${userId}/Items`,
    {
      SearchTerm: term,
      Recursive: true,
      IncludeItemTypes: 'Movie,Series,Episode,MusicAlbum,Audio,BoxSet,Playlist,MusicArtist,Person,Genre,Studio',
      Fields: LIST_FIELDS,
      Limit: 60,
    },
    signal,
  );
}

export type ByNameKind = 'Genres' | 'MusicGenres' | 'Studios' | 'Persons' | 'Artists';

/** Genres, studios, people, artists: items-by-name, optionally within one view. */
export function getItemsByName(api: ApiClient, userId: string, kind: ByNameKind, parentId?: string): Promise<QueryResult<BaseItemDto>> {
  return api.get(`/${kind}`, { UserId: userId, ParentId: parentId, Fields: LIST_FIELDS, SortBy: 'SortName', Recursive: true });
}

/** Box sets and playlists anywhere in the library (they live outside the media views). */
export function getCollectionsAndPlaylists(api: ApiClient, userId: string): Promise<QueryResult<BaseItemDto>> {
  return api.get(`/Users/${userId}/Items`, {
    Recursive: true,
    IncludeItemTypes: 'BoxSet,Playlist',
    Fields: LIST_FIELDS,
    SortBy: 'SortName',
  });
}

/** Ours: the user's camera uploads as library items, newest first (the per-user "Camera uploads" view). */
export function getCameraUploads(api: ApiClient, userId: string, startIndex = 0, limit = 60): Promise<QueryResult<BaseItemDto>> {
  return api.get(`/Users/${userId}/CameraUploads`, { StartIndex: startIndex, Limit: limit, Fields: LIST_FIELDS });
}

/** What the library is doing now (the server's scan progress): a phase, and files done of total in it. */
export interface ScanProgress {
  Phase: 'Idle' | 'GeneratingDemo' | 'Walking' | 'Probing' | 'Images';
  /** Of `Total`; 0 of 0 while walking (the total is not known yet). */
  Done: number;
  Total: number;
  Since?: string;
}

/** The last library scan, whether one runs, and its progress (administrators only). */
export interface ScanReport {
  IsScanning: boolean;
  LastScan?: { FinishedAt: string; Files: number };
  Progress?: ScanProgress;
}

export function getScanReport(api: ApiClient): Promise<ScanReport> {
  return api.get('/Library/ScanReport');
}

/** Ours, for any signed-in user: whether the library is being prepared, and how far. */
export function getLibraryStatus(api: ApiClient): Promise<ScanProgress & { IsScanning: boolean }> {
  return api.get('/Library/Status');
}
