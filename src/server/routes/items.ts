import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppDeps } from '../appDeps.js';
import type { BaseItemDto, QueryResult } from '../../shared/api/items.js';
import { ALL_FIELDS } from '../library/itemDto.js';
import type { ByNameCounts, ItemQuery, ItemRow, SortOrder } from '../library/itemsRepo.js';
import { latestGrouped, latestItems, nextUpEpisodes, resumeItems } from '../library/categories.js';
import { clampLimit, dtoContext, idList, libraryUser, optionalItemId, visibleItem } from './libraryAccess.js';

const str = { type: 'string', maxLength: 500 } as const;
const csv = { type: 'array', items: { type: 'string', maxLength: 200 }, maxItems: 10_000 } as const;
const bool = { type: 'boolean' } as const;
const startIndex = { type: 'integer', minimum: 0, maximum: 1e9 } as const;
const limit = { type: 'integer', minimum: 0, maximum: 1e6 } as const;

/** Accepted and ignored (but GroupItems, read by Latest): image and user-data switches clients always send. */
const presentation = {
  EnableImages: bool,
  ImageTypeLimit: { type: 'integer' },
  EnableImageTypes: csv,
  EnableUserData: bool,
  GroupItems: bool,
  CollapseBoxSetItems: bool,
  IsMissing: bool,
  IsVirtualUnaired: bool,
  IsSpecialSeason: bool,
  MinDate: str,
  Format: str,
  api_key: str,
} as const;

const itemsQuerySchema = {
  type: 'object',
  properties: {
    UserId: str,
    ParentId: str,
    Recursive: bool,
    IncludeItemTypes: csv,
    ExcludeItemTypes: csv,
    MediaTypes: csv,
    Fields: csv,
    SortBy: csv,
    SortOrder: csv,
    StartIndex: startIndex,
    Limit: limit,
    // Emby separates genre names with '|' (names may hold commas).
    Genres: { type: 'string', maxLength: 5000 },
    GenreIds: csv,
    StudioIds: csv,
    PersonIds: csv,
    PersonTypes: csv,
    ArtistIds: csv,
    AlbumArtistIds: csv,
    Years: { type: 'array', items: { type: 'integer', minimum: 0, maximum: 9999 }, maxItems: 1000 },
    IsPlayed: bool,
    IsFavorite: bool,
    IsFolder: bool,
    Filters: csv,
    SearchTerm: { type: 'string', maxLength: 200 },
    Ids: csv,
    NameStartsWith: { type: 'string', maxLength: 200 },
    NameStartsWithOrGreater: { type: 'string', maxLength: 200 },
    NameLessThan: { type: 'string', maxLength: 200 },
    EnableTotalRecordCount: bool,
    ...presentation,
  },
} as const;

interface ItemsQueryInput {
  UserId?: string;
  /** Latest: several new episodes of a series (songs of an album) as the series (album); default true. */
  GroupItems?: boolean;
  ParentId?: string;
  Recursive?: boolean;
  IncludeItemTypes?: string[];
  ExcludeItemTypes?: string[];
  MediaTypes?: string[];
  Fields?: string[];
  SortBy?: string[];
  SortOrder?: string[];
  StartIndex?: number;
  Limit?: number;
  Genres?: string;
  GenreIds?: string[];
  StudioIds?: string[];
  PersonIds?: string[];
  PersonTypes?: string[];
  ArtistIds?: string[];
  AlbumArtistIds?: string[];
  Years?: number[];
  IsPlayed?: boolean;
  IsFavorite?: boolean;
  IsFolder?: boolean;
  Filters?: string[];
  SearchTerm?: string;
  Ids?: string[];
  NameStartsWith?: string;
  NameStartsWithOrGreater?: string;
  NameLessThan?: string;
  EnableTotalRecordCount?: boolean;
  SeriesId?: string;
  SeasonId?: string;
  Season?: number;
}

const userParams = {
  type: 'object',
  required: ['userId'],
  properties: { userId: { type: 'string', maxLength: 64 } },
} as const;
const userItemParams = {
  type: 'object',
  required: ['userId', 'id'],
  properties: { userId: { type: 'string', maxLength: 64 }, id: { type: 'string', maxLength: 64 } },
} as const;
const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 64 } } } as const;

function sortOrders(raw: string[] | undefined): SortOrder[] | undefined {
  return raw?.map((s) => (s.toLowerCase().startsWith('desc') ? 'Descending' : 'Ascending'));
}

/** Wire query → repository query. `Filters` folds into the boolean filters Emby also accepts directly. */
export function toItemQuery(userId: string, q: ItemsQueryInput): ItemQuery {
  const filters = new Set((q.Filters ?? []).map((f) => f.toLowerCase()));
  let isPlayed = q.IsPlayed;
  if (filters.has('isplayed')) isPlayed = true;
  if (filters.has('isunplayed')) isPlayed = false;
  let isFolder = q.IsFolder;
  if (filters.has('isfolder')) isFolder = true;
  if (filters.has('isnotfolder')) isFolder = false;
  return {
    userId,
    parentId: optionalItemId(q.ParentId),
    recursive: q.Recursive ?? false,
    includeItemTypes: q.IncludeItemTypes,
    excludeItemTypes: q.ExcludeItemTypes,
    mediaTypes: q.MediaTypes,
    sortBy: q.SortBy,
    sortOrder: sortOrders(q.SortOrder),
    startIndex: q.StartIndex,
    limit: clampLimit(q.Limit),
    genres: q.Genres?.split('|')
      .map((g) => g.trim())
      .filter(Boolean),
    genreIds: idList(q.GenreIds),
    studioIds: idList(q.StudioIds),
    personIds: idList(q.PersonIds),
    personTypes: q.PersonTypes,
    artistIds: idList(q.ArtistIds),
    albumArtistIds: idList(q.AlbumArtistIds),
    years: q.Years,
    isPlayed,
    isFavorite: filters.has('isfavorite') ? true : q.IsFavorite,
    isResumable: filters.has('isresumable') || undefined,
    isFolder,
    searchTerm: q.SearchTerm?.trim() || undefined,
    ids: idList(q.Ids),
    nameStartsWith: q.NameStartsWith,
    nameFrom: q.NameStartsWithOrGreater || undefined,
    nameBefore: q.NameLessThan || undefined,
    enableTotalRecordCount: q.EnableTotalRecordCount,
  };
}

/** Items-by-name listings: the item type and which links count (album artists are a subset of artists). */
const BY_NAME_ROUTES: Array<{ path: string; type: string; kinds: string[] }> = [
  { path: '/Genres', type: 'Genre', kinds: ['genre'] },
  { path: '/MusicGenres', type: 'MusicGenre', kinds: ['musicgenre'] },
  { path: '/Studios', type: 'Studio', kinds: ['studio'] },
  { path: '/Persons', type: 'Person', kinds: ['person'] },
  { path: '/Artists', type: 'MusicArtist', kinds: ['artist', 'albumartist'] },
  { path: '/Artists/AlbumArtists', type: 'MusicArtist', kinds: ['albumartist'] },
];

export function registerItemRoutes(app: FastifyInstance, deps: AppDeps): void {
  const { items, itemDtos } = deps;

  const page = (req: FastifyRequest, userId: string, q: ItemsQueryInput, rows: ItemRow[], total: number): QueryResult<BaseItemDto> => {
    const user = deps.users.get(userId)!;
    return {
      Items: itemDtos.toDtos(rows, dtoContext(req, user, q.Fields)),
      TotalRecordCount: total,
      StartIndex: q.StartIndex ?? 0,
    };
  };

  const listItems = (req: FastifyRequest, rawUserId: string | undefined) => {
    const q = req.query as ItemsQueryInput;
    const user = libraryUser(deps, req, rawUserId);
    const { rows, total } = items.query(toItemQuery(user.id, q));
    return page(req, user.id, q, rows, total);
  };

  app.get('/Users/:userId/Items', { schema: { params: userParams, querystring: itemsQuerySchema } }, async (req) =>
    listItems(req, (req.params as { userId: string }).userId),
  );
  app.get('/Items', { schema: { querystring: itemsQuerySchema } }, async (req) => listItems(req, (req.query as ItemsQueryInput).UserId));

  app.get('/Users/:userId/Views', { schema: { params: userParams, querystring: itemsQuerySchema } }, async (req) => {
    const q = req.query as ItemsQueryInput;
    const user = libraryUser(deps, req, (req.params as { userId: string }).userId);
    const rows = items.views(user.id);
    return page(req, user.id, q, rows, rows.length);
  });

  app.get('/Users/:userId/Items/:id', { schema: { params: userItemParams, querystring: itemsQuerySchema } }, async (req) => {
    const p = req.params as { userId: string; id: string };
    const user = libraryUser(deps, req, p.userId);
    const row = visibleItem(deps, user.id, p.id);
    const ctx = dtoContext(req, user, (req.query as ItemsQueryInput).Fields);
    return itemDtos.toDto(row, { ...ctx, fields: new Set([...ALL_FIELDS, ...ctx.fields]) });
  });

  app.get('/Users/:userId/Items/Latest', { schema: { params: userParams, querystring: itemsQuerySchema } }, async (req) => {
    const q = req.query as ItemsQueryInput;
    const user = libraryUser(deps, req, (req.params as { userId: string }).userId);
    const query = {
      userId: user.id,
      parentId: optionalItemId(q.ParentId),
      limit: clampLimit(q.Limit ?? 20) ?? 20,
      includeItemTypes: q.IncludeItemTypes,
      mediaTypes: q.MediaTypes,
      isPlayed: q.IsPlayed,
    };
    const rows = q.GroupItems === false ? latestItems(items, query) : latestGrouped(items, query);
    // Emby answers Latest with a plain array, not a QueryResult.
    return itemDtos.toDtos(rows, dtoContext(req, user, q.Fields));
  });

  app.get('/Users/:userId/Items/Resume', { schema: { params: userParams, querystring: itemsQuerySchema } }, async (req) => {
    const q = req.query as ItemsQueryInput;
    const user = libraryUser(deps, req, (req.params as { userId: string }).userId);
    const { rows, total } = resumeItems(items, {
      userId: user.id,
      parentId: optionalItemId(q.ParentId),
      startIndex: q.StartIndex,
      limit: clampLimit(q.Limit),
      includeItemTypes: q.IncludeItemTypes,
      mediaTypes: q.MediaTypes,
      enableTotalRecordCount: q.EnableTotalRecordCount,
    });
    return page(req, user.id, q, rows, total);
  });

  const showsQuery = {
    ...itemsQuerySchema,
    properties: { ...itemsQuerySchema.properties, SeriesId: str, SeasonId: str, Season: { type: 'integer', minimum: 0, maximum: 100000 } },
  } as const;

  app.get('/Shows/NextUp', { schema: { querystring: showsQuery } }, async (req) => {
    const q = req.query as ItemsQueryInput;
    const user = libraryUser(deps, req, q.UserId);
    const seriesId = optionalItemId(q.SeriesId);
    const { rows, total } = nextUpEpisodes(items, {
      userId: user.id,
      seriesId,
      parentId: optionalItemId(q.ParentId),
      startIndex: q.StartIndex,
      limit: clampLimit(q.Limit),
    });
    return page(req, user.id, q, rows, total);
  });

  app.get('/Shows/:id/Seasons', { schema: { params: idParams, querystring: showsQuery } }, async (req) => {
    const q = req.query as ItemsQueryInput;
    const user = libraryUser(deps, req, q.UserId);
    const series = visibleItem(deps, user.id, (req.params as { id: string }).id);
    const { rows, total } = items.query({
      ...toItemQuery(user.id, { ...q, ParentId: undefined }),
      parentId: series.id,
      recursive: false,
      includeItemTypes: ['Season'],
    });
    return page(req, user.id, q, rows, total);
  });

  app.get('/Shows/:id/Episodes', { schema: { params: idParams, querystring: showsQuery } }, async (req) => {
    const q = req.query as ItemsQueryInput;
    const user = libraryUser(deps, req, q.UserId);
    const series = visibleItem(deps, user.id, (req.params as { id: string }).id);
    const { rows, total } = items.query({
      ...toItemQuery(user.id, { ...q, ParentId: undefined }),
      parentId: series.id,
      recursive: true,
      includeItemTypes: ['Episode'],
      seasonId: optionalItemId(q.SeasonId),
      parentIndexNumber: q.Season,
    });
    return page(req, user.id, q, rows, total);
  });

  for (const route of BY_NAME_ROUTES) {
    app.get(route.path, { schema: { querystring: itemsQuerySchema } }, async (req) => {
      const q = req.query as ItemsQueryInput;
      const user = libraryUser(deps, req, q.UserId);
      const { rows, total } = items.itemsByName({
        ...toItemQuery(user.id, q),
        byNameType: route.type,
        linkKinds: route.kinds,
      });
      const dtos = itemDtos.toDtos(rows, dtoContext(req, user, q.Fields));
      return {
        Items: dtos.map((dto, i) => withCounts(dto, rows[i]!)),
        TotalRecordCount: total,
        StartIndex: q.StartIndex ?? 0,
      };
    });
  }
}

/** Counts of the items a genre, studio, person or artist has under the requested scope (Emby's fields). */
type ByNameDto = BaseItemDto & { MovieCount: number; SeriesCount: number; EpisodeCount: number; SongCount: number; AlbumCount: number };

function withCounts(dto: BaseItemDto, c: ByNameCounts): ByNameDto {
  return {
    ...dto,
    ChildCount: c.item_count,
    MovieCount: c.movie_count,
    SeriesCount: c.series_count,
    EpisodeCount: c.episode_count,
    SongCount: c.song_count,
    AlbumCount: c.album_count,
  };
}
