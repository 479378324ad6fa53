/**
 * Item rows → Emby BaseItemDto for one user and a `Fields` set. A page is mapped with a fixed number of
 * batched look-ups (user data, folder counts, links, parent image tags, sync info), never one per item.
 * No server path ever reaches the wire: `Path`, `MediaSources[].Path` and stream paths are bare file names.
 */
import type { BaseItemDto, BaseItemPerson, ItemType, MediaSourceInfo, MediaStream, MediaType, NameIdPair } from '../../shared/api/items.js';
import { isSyncable } from '../../shared/syncable.js';
import { toUserItemDataDto } from '../userdata/userDataDto.js';
import type { UserDataRepo } from '../userdata/userDataRepo.js';
import type { FolderStats, ItemLink, ItemRow, ItemsRepo } from './itemsRepo.js';

/** Sync state of items for a user on the calling device; implemented by the sync core. */
export interface ItemSyncInfo {
  HasSyncJob: boolean;
  SyncStatus?: string;
  SyncPercent?: number;
  IsSynced: boolean;
}

export interface ItemSyncInfoProvider {
  forItems(userId: string, deviceId: string | undefined, itemIds: readonly string[]): Map<string, ItemSyncInfo>;
}

/** Until the sync core plugs in: no item has sync state. */
export const noItemSyncInfo: ItemSyncInfoProvider = { forItems: () => new Map() };

export interface DtoContext {
  userId: string;
  deviceId?: string;
  /** Lower-cased `Fields` names (see `parseFields`). */
  fields: ReadonlySet<string>;
  /** The user's policy EnableSync: without it nothing SupportsSync (API.md §2). */
  enableSync: boolean;
}

/** Every optional field, for the single-item endpoint. */
export const ALL_FIELDS: ReadonlySet<string> = new Set([
  'mediasources',
  'mediastreams',
  'path',
  'overview',
  'genres',
  'studios',
  'people',
  'datecreated',
  'sortname',
  'childcount',
  'recursiveitemcount',
  'primaryimageaspectratio',
  'basicsyncinfo',
  'syncinfo',
  'etag',
]);

export function parseFields(fields: readonly string[] | undefined): Set<string> {
  return new Set((fields ?? []).map((f) => f.trim().toLowerCase()).filter(Boolean));
}

/** A bare file name from any server path (either separator), for the wire. */
export function bareFileName(p: string | null | undefined): string | undefined {
  if (!p) return undefined;
  return p.split(/[\\/]/).pop() || undefined;
}

function parseStreams(row: ItemRow): MediaStream[] {
  try {
    const streams = JSON.parse(row.media_streams || '[]') as MediaStream[];
    return streams.map((s) => (s.Path ? { ...s, Path: bareFileName(s.Path) } : s));
  } catch {
    return [];
  }
}

/** A real media file (not a folder key such as a series folder, not an item-by-name). */
export function hasMediaFile(row: Pick<ItemRow, 'path' | 'is_folder' | 'media_type'>): boolean {
  return !!row.path && !row.is_folder && !!row.media_type;
}

export function toMediaSource(row: ItemRow, streams: MediaStream[] = parseStreams(row)): MediaSourceInfo {
  const audio = streams.filter((s) => s.Type === 'Audio');
  const defaultAudio = audio.find((s) => s.IsDefault) ?? audio[0];
  const defaultSub = streams.find((s) => s.Type === 'Subtitle' && (s.IsDefault || s.IsForced));
  const source: MediaSourceInfo = {
    Id: row.id,
    Protocol: 'File',
    Type: 'Default',
    Name: row.name,
    Path: bareFileName(row.path),
    IsRemote: false,
    SupportsTranscoding: true,
    SupportsDirectStream: true,
    SupportsDirectPlay: true,
    RequiresOpening: false,
    MediaStreams: streams,
  };
  if (row.container) source.Container = row.container;
  if (row.size !== null) source.Size = row.size;
  if (row.run_time_ticks !== null) source.RunTimeTicks = row.run_time_ticks;
  if (row.bitrate !== null) source.Bitrate = row.bitrate;
  if (defaultAudio) source.DefaultAudioStreamIndex = defaultAudio.Index;
  if (defaultSub) source.DefaultSubtitleStreamIndex = defaultSub.Index;
  if (row.size !== null && row.mtime_ms !== null) source.ETag = `${row.size.toString(16)}-${row.mtime_ms.toString(16)}`;
  return source;
}

/** Without image dimensions, the shape clients lay the card out with: posters, stills and squares. */
function aspectRatio(row: ItemRow, streams: () => MediaStream[]): number | undefined {
  if (!row.image_tag) return undefined;
  switch (row.type) {
    case 'Movie':
    case 'Series':
    case 'Season':
    case 'BoxSet':
    case 'Person':
      return 2 / 3;
    case 'Audio':
    case 'MusicAlbum':
    case 'MusicArtist':
    case 'Playlist':
    case 'MusicGenre':
      return 1;
    default: {
      const v = streams().find((s) => s.Type === 'Video');
      return v?.Width && v.Height ? v.Width / v.Height : 16 / 9;
    }
  }
}

export class ItemDtoMapper {
  constructor(
    private readonly items: ItemsRepo,
    private readonly userData: UserDataRepo,
    private readonly serverId: string,
    private syncInfo: ItemSyncInfoProvider = noItemSyncInfo,
  ) {}

  /** The sync core registers its provider here once it is built. */
  useSyncInfoProvider(provider: ItemSyncInfoProvider): void {
    this.syncInfo = provider;
  }

  toDto(row: ItemRow, ctx: DtoContext): BaseItemDto {
    return this.toDtos([row], ctx)[0]!;
  }

  toDtos(rows: readonly ItemRow[], ctx: DtoContext): BaseItemDto[] {
    if (rows.length === 0) return [];
    const f = ctx.fields;
    const ids = [...new Set(rows.map((r) => r.id))];
    const userData = this.userData.getMany(ctx.userId, ids);
    const folderRows = new Map(rows.filter((r) => r.is_folder).map((r) => [r.id, r]));
    const folders = this.items.folderStats(ctx.userId, [...folderRows.values()]);
    const needLinks =
      f.has('genres') || f.has('studios') || f.has('people') || rows.some((r) => r.type === 'Audio' || r.type === 'MusicAlbum');
    const links = needLinks ? this.items.links(ids) : new Map<string, ItemLink[]>();
    const parentIds = [...new Set(rows.flatMap((r) => [r.series_id, r.album_id]).filter((x): x is string => !!x))];
    const parentTags = new Map(this.items.getMany(parentIds).map((p) => [p.id, p.image_tag]));
    const wantSync = f.has('basicsyncinfo') || f.has('syncinfo');
    const sync = wantSync ? this.syncInfo.forItems(ctx.userId, ctx.deviceId, ids) : new Map<string, ItemSyncInfo>();
    return rows.map((row) =>
      this.map(row, ctx, userData.get(row.id), folders.get(row.id), links.get(row.id) ?? [], parentTags, sync.get(row.id)),
    );
  }

  private map(
    row: ItemRow,
    ctx: DtoContext,
    ud: Parameters<typeof toUserItemDataDto>[1],
    folder: FolderStats | undefined,
    links: ItemLink[],
    parentTags: Map<string, string | null>,
    sync: ItemSyncInfo | undefined,
  ): BaseItemDto {
    let streamsCache: MediaStream[] | undefined;
    const streams = () => (streamsCache ??= parseStreams(row));
    const dto: BaseItemDto = {
      Id: row.id,
      ServerId: this.serverId,
      Name: row.name,
      Type: row.type as ItemType,
      IsFolder: !!row.is_folder,
      ImageTags: row.image_tag ? { Primary: row.image_tag } : {},
      BackdropImageTags: [],
      UserData: toUserItemDataDto(row, ud, folder),
    };
    addPlacement(dto, row, parentTags);
    addArtists(dto, row, links);
    if (row.is_folder && folder) {
      dto.ChildCount = folder.childCount;
      dto.RecursiveItemCount = folder.recursiveCount;
    }
    addRequestedFields(dto, row, ctx.fields, streams);
    addLinkFields(dto, ctx.fields, links);
    if (ctx.fields.has('basicsyncinfo') || ctx.fields.has('syncinfo')) addSyncFields(dto, row, ctx, sync);
    return dto;
  }
}

/** Where the item sits: its kind, parent, numbering, series, season and album (with their image tags). */
function addPlacement(dto: BaseItemDto, row: ItemRow, parentTags: Map<string, string | null>): void {
  if (row.media_type) dto.MediaType = row.media_type as MediaType;
  if (row.collection_type) dto.CollectionType = row.collection_type;
  if (row.parent_id) dto.ParentId = row.parent_id;
  if (row.run_time_ticks !== null) dto.RunTimeTicks = row.run_time_ticks;
  if (row.production_year !== null) dto.ProductionYear = row.production_year;
  if (row.premiere_date) dto.PremiereDate = row.premiere_date;
  if (row.index_number !== null) dto.IndexNumber = row.index_number;
  if (row.parent_index_number !== null) dto.ParentIndexNumber = row.parent_index_number;
  if (row.series_id) {
    dto.SeriesId = row.series_id;
    if (row.series_name) dto.SeriesName = row.series_name;
    const tag = parentTags.get(row.series_id);
    if (tag) dto.SeriesPrimaryImageTag = tag;
  }
  if (row.season_id) {
    dto.SeasonId = row.season_id;
    if (row.season_name) dto.SeasonName = row.season_name;
  }
  if (row.album_id) {
    dto.AlbumId = row.album_id;
    const tag = parentTags.get(row.album_id);
    if (tag) dto.AlbumPrimaryImageTag = tag;
  }
  if (row.album) dto.Album = row.album;
  if (row.album_artist) dto.AlbumArtist = row.album_artist;
  if (row.container && !row.is_folder) dto.Container = row.container;
  if (row.playlist_item_id) dto.PlaylistItemId = row.playlist_item_id;
}

/** Songs and albums always carry their artists (clients show them on every card). */
function addArtists(dto: BaseItemDto, row: ItemRow, links: readonly ItemLink[]): void {
  if (row.type !== 'Audio' && row.type !== 'MusicAlbum') return;
  const artists = links.filter((l) => l.kind === 'artist');
  const albumArtists = links.filter((l) => l.kind === 'albumartist');
  dto.Artists = artists.map((l) => l.targetName);
  dto.ArtistItems = artists.map(pair);
  dto.AlbumArtists = albumArtists.map(pair);
}

/** The `Fields` the caller asked for, and the file facts of items backed by a media file. */
function addRequestedFields(dto: BaseItemDto, row: ItemRow, f: ReadonlySet<string>, streams: () => MediaStream[]): void {
  if (f.has('sortname')) dto.SortName = row.sort_name;
  if (f.has('datecreated')) dto.DateCreated = row.date_created;
  if (f.has('overview') && row.overview) dto.Overview = row.overview;
  if (f.has('path') && hasMediaFile(row)) dto.Path = bareFileName(row.path);
  if (f.has('etag') || f.has('datemodified')) dto.DateModified = row.date_modified;
  if (hasMediaFile(row)) {
    if (row.size !== null) dto.Size = row.size;
    if (row.bitrate !== null) dto.Bitrate = row.bitrate;
    const video = row.media_type === 'Video' || row.media_type === 'Photo' ? streams().find((s) => s.Type === 'Video') : undefined;
    if (video?.Width) dto.Width = video.Width;
    if (video?.Height) dto.Height = video.Height;
    if (f.has('mediasources')) dto.MediaSources = [toMediaSource(row, streams())];
    if (f.has('mediastreams')) dto.MediaStreams = streams();
  }
  if (f.has('primaryimageaspectratio')) {
    const ratio = aspectRatio(row, streams);
    if (ratio) dto.PrimaryImageAspectRatio = ratio;
  }
}

function addLinkFields(dto: BaseItemDto, f: ReadonlySet<string>, links: readonly ItemLink[]): void {
  if (f.has('genres')) {
    const genres = links.filter((l) => l.kind === 'genre' || l.kind === 'musicgenre');
    dto.Genres = genres.map((l) => l.targetName);
    dto.GenreItems = genres.map(pair);
  }
  if (f.has('studios')) dto.Studios = links.filter((l) => l.kind === 'studio').map(pair);
  if (f.has('people')) dto.People = links.filter((l) => l.kind === 'person').map(person);
}

/** BasicSyncInfo: whether it can be synced and how far; SyncInfo adds the job, status and synced flag. */
function addSyncFields(dto: BaseItemDto, row: ItemRow, ctx: DtoContext, sync: ItemSyncInfo | undefined): void {
  dto.SupportsSync =
    ctx.enableSync && isSyncable(row.type, { isFolder: !!row.is_folder, mediaType: row.media_type, hasFile: hasMediaFile(row) });
  if (sync?.SyncPercent !== undefined) dto.SyncPercent = sync.SyncPercent;
  if (ctx.fields.has('syncinfo')) {
    dto.HasSyncJob = sync?.HasSyncJob ?? false;
    dto.IsSynced = sync?.IsSynced ?? false;
    if (sync?.SyncStatus) dto.SyncStatus = sync.SyncStatus;
  }
}

function pair(l: ItemLink): NameIdPair {
  return { Name: l.targetName, Id: l.targetId };
}

function person(l: ItemLink): BaseItemPerson {
  const p: BaseItemPerson = { Name: l.targetName, Id: l.targetId, Type: l.role ?? 'Actor' };
  if (l.targetImageTag) p.PrimaryImageTag = l.targetImageTag;
  return p;
}
