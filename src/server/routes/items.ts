/**
 * Library browsing (API.md §5.2): `/Users/{uid}/Items` and its relatives. Each route is a schema, one
 * `LibraryBrowser` call and, where the wire names differ, `toBrowseQuery` (wire query → parsed query).
 */
import { Type, type Static } from 'typebox';
import type { Api, AppDeps } from '../appDeps.js';
import { caller } from '../http/authPlugin.js';
import { CsvStrings, IdParams, Paging, UserIdParams, UserItemParams } from '../http/schemas.js';
import type { BrowseQuery, ByNameKind } from '../library/libraryBrowser.js';
import type { SortOrder } from '../library/itemsRepo.js';
import { clampLimit, idList, optionalItemId } from './libraryAccess.js';

const Text = Type.String({ maxLength: 500 });
const Name = Type.String({ maxLength: 200 });
const flag = Type.Optional(Type.Boolean());
const text = Type.Optional(Text);
const csv = Type.Optional(CsvStrings);

/** Accepted and ignored (but GroupItems, read by Latest): image and user-data switches clients always send. */
const presentation = {
  EnableImages: flag,
  ImageTypeLimit: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
  EnableImageTypes: csv,
  EnableUserData: flag,
  /** Latest: several new episodes of a series (songs of an album) as the series (album); default true. */
  GroupItems: flag,
  CollapseBoxSetItems: flag,
  IsMissing: flag,
  IsVirtualUnaired: flag,
  IsSpecialSeason: flag,
  MinDate: text,
  Format: text,
  api_key: text,
};

const ItemsQuery = Type.Object({
  UserId: text,
  ParentId: text,
  Recursive: flag,
  IncludeItemTypes: csv,
  ExcludeItemTypes: csv,
  MediaTypes: csv,
  Fields: csv,
  SortBy: csv,
  SortOrder: csv,
  ...Paging,
  // Emby separates genre names with '|' (names may hold commas).
  Genres: Type.Optional(Type.String({ maxLength: 5000 })),
  GenreIds: csv,
  StudioIds: csv,
  PersonIds: csv,
  PersonTypes: csv,
  ArtistIds: csv,
  AlbumArtistIds: csv,
  Years: Type.Optional(Type.Array(Type.Integer({ minimum: 0, maximum: 9999 }), { maxItems: 1000 })),
  IsPlayed: flag,
  IsFavorite: flag,
  IsFolder: flag,
  Filters: csv,
  SearchTerm: Type.Optional(Name),
  Ids: csv,
  NameStartsWith: Type.Optional(Name),
  NameStartsWithOrGreater: Type.Optional(Name),
  NameLessThan: Type.Optional(Name),
  EnableTotalRecordCount: flag,
  ...presentation,
});
type ItemsQueryInput = Static<typeof ItemsQuery>;

const ShowsQuery = Type.Object({
  ...ItemsQuery.properties,
  SeriesId: text,
  SeasonId: text,
  Season: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000 })),
});

function sortOrders(raw: string[] | undefined): SortOrder[] | undefined {
  return raw?.map((s) => (s.toLowerCase().startsWith('desc') ? 'Descending' : 'Ascending'));
}

/** Wire query → parsed query. `Filters` folds into the boolean filters Emby also accepts directly. */
export function toBrowseQuery(q: ItemsQueryInput): BrowseQuery {
  const filters = new Set((q.Filters ?? []).map((f) => f.toLowerCase()));
  let isPlayed = q.IsPlayed;
  if (filters.has('isplayed')) isPlayed = true;
  if (filters.has('isunplayed')) isPlayed = false;
  let isFolder = q.IsFolder;
  if (filters.has('isfolder')) isFolder = true;
  if (filters.has('isnotfolder')) isFolder = false;
  return {
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
    fields: q.Fields,
  };
}

/** The moving categories' options (Latest, Resume, Next Up). */
function toCategoryInput(q: ItemsQueryInput) {
  return {
    parentId: optionalItemId(q.ParentId),
    startIndex: q.StartIndex,
    limit: clampLimit(q.Limit),
    includeItemTypes: q.IncludeItemTypes,
    mediaTypes: q.MediaTypes,
    enableTotalRecordCount: q.EnableTotalRecordCount,
    fields: q.Fields,
  };
}

/** Items-by-name listings by path. */
const BY_NAME_ROUTES: Array<{ path: string } & ByNameKind> = [
  { path: '/Genres', type: 'Genre', linkKinds: ['genre'] },
  { path: '/MusicGenres', type: 'MusicGenre', linkKinds: ['musicgenre'] },
  { path: '/Studios', type: 'Studio', linkKinds: ['studio'] },
  { path: '/Persons', type: 'Person', linkKinds: ['person'] },
  { path: '/Artists', type: 'MusicArtist', linkKinds: ['artist', 'albumartist'] },
  { path: '/Artists/AlbumArtists', type: 'MusicArtist', linkKinds: ['albumartist'] },
];

export function registerItemRoutes(app: Api, deps: AppDeps): void {
  const browser = deps.libraryBrowser;
  const items = { schema: { querystring: ItemsQuery } };
  const userItems = { schema: { params: UserIdParams, querystring: ItemsQuery } };
  const shows = { schema: { params: IdParams, querystring: ShowsQuery } };

  app.get('/Users/:userId/Items', userItems, async (req) => browser.list(caller(req), req.params.userId, toBrowseQuery(req.query)));
  app.get('/Items', items, async (req) => browser.list(caller(req), req.query.UserId, toBrowseQuery(req.query)));

  app.get('/Users/:userId/Views', userItems, async (req) =>
    browser.views(caller(req), req.params.userId, { fields: req.query.Fields, startIndex: req.query.StartIndex }),
  );

  app.get('/Users/:userId/Items/:id', { schema: { params: UserItemParams, querystring: ItemsQuery } }, async (req) =>
    browser.item(caller(req), req.params.userId, req.params.id, req.query.Fields),
  );

  app.get('/Users/:userId/Items/Latest', userItems, async (req) => {
    const q = req.query;
    const input = { ...toCategoryInput(q), startIndex: undefined, limit: clampLimit(q.Limit ?? 20) ?? 20, isPlayed: q.IsPlayed };
    return browser.latest(caller(req), req.params.userId, { ...input, group: q.GroupItems !== false });
  });

  app.get('/Users/:userId/Items/Resume', userItems, async (req) =>
    browser.resume(caller(req), req.params.userId, toCategoryInput(req.query)),
  );

  app.get('/Shows/NextUp', { schema: { querystring: ShowsQuery } }, async (req) =>
    browser.nextUp(caller(req), req.query.UserId, { ...toCategoryInput(req.query), seriesId: optionalItemId(req.query.SeriesId) }),
  );

  app.get('/Shows/:id/Seasons', shows, async (req) => {
    const q = { ...toBrowseQuery({ ...req.query, ParentId: undefined }), recursive: false, includeItemTypes: ['Season'] };
    return browser.seriesChildren(caller(req), req.query.UserId, req.params.id, q);
  });

  app.get('/Shows/:id/Episodes', shows, async (req) => {
    const q = {
      ...toBrowseQuery({ ...req.query, ParentId: undefined }),
      recursive: true,
      includeItemTypes: ['Episode'],
      seasonId: optionalItemId(req.query.SeasonId),
      parentIndexNumber: req.query.Season,
    };
    return browser.seriesChildren(caller(req), req.query.UserId, req.params.id, q);
  });

  for (const route of BY_NAME_ROUTES) {
    app.get(route.path, items, async (req) => browser.itemsByName(caller(req), req.query.UserId, toBrowseQuery(req.query), route));
  }
}
