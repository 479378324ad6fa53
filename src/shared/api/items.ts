/** Library wire types (Emby BaseItemDto family). PascalCase, optional fields omitted when absent. */

export type ItemType =
  | 'CollectionFolder'
  | 'Movie'
  | 'Video'
  | 'Series'
  | 'Season'
  | 'Episode'
  | 'MusicAlbum'
  | 'MusicArtist'
  | 'Audio'
  | 'Photo'
  | 'BoxSet'
  | 'Playlist'
  | 'Genre'
  | 'MusicGenre'
  | 'Studio'
  | 'Person';

export type MediaType = 'Video' | 'Audio' | 'Photo';

export type MediaStreamType = 'Video' | 'Audio' | 'Subtitle' | 'EmbeddedImage';

export interface MediaStream {
  Type: MediaStreamType;
  Index: number;
  Codec?: string;
  CodecTag?: string;
  Profile?: string;
  Level?: number;
  BitDepth?: number;
  PixelFormat?: string;
  Width?: number;
  Height?: number;
  AspectRatio?: string;
  AverageFrameRate?: number;
  RealFrameRate?: number;
  BitRate?: number;
  Channels?: number;
  ChannelLayout?: string;
  SampleRate?: number;
  Language?: string;
  Title?: string;
  DisplayTitle?: string;
  IsDefault: boolean;
  IsForced: boolean;
  IsExternal: boolean;
  /** Image subtitles (PGS, VobSub) cannot become text sidecars. */
  IsTextSubtitleStream?: boolean;
  SupportsExternalStream?: boolean;
  /** External subtitle streams only: a bare file name on the wire, never a server path. */
  Path?: string;
  IsInterlaced?: boolean;
  Rotation?: number;
  RefFrames?: number;
  IsAVC?: boolean;
  ColorTransfer?: string;
  ColorPrimaries?: string;
  ColorSpace?: string;
  VideoRange?: string;
}

export interface MediaSourceInfo {
  Id: string;
  Protocol: 'File' | 'Http';
  Type: 'Default';
  Container?: string;
  Size?: number;
  Name?: string;
  /** Bare file name on the wire, never a server path. */
  Path?: string;
  RunTimeTicks?: number;
  Bitrate?: number;
  IsRemote: boolean;
  SupportsTranscoding: boolean;
  SupportsDirectStream: boolean;
  SupportsDirectPlay: boolean;
  RequiresOpening: boolean;
  MediaStreams: MediaStream[];
  DefaultAudioStreamIndex?: number;
  DefaultSubtitleStreamIndex?: number;
  ETag?: string;
}

export interface UserItemDataDto {
  PlaybackPositionTicks: number;
  PlayCount: number;
  IsFavorite: boolean;
  Played: boolean;
  LastPlayedDate?: string;
  PlayedPercentage?: number;
  UnplayedItemCount?: number;
  Key: string;
}

export interface NameIdPair {
  Name: string;
  Id: string;
}

export interface BaseItemPerson {
  Name: string;
  Id: string;
  Role?: string;
  Type: string;
  PrimaryImageTag?: string;
}

export interface BaseItemDto {
  Id: string;
  ServerId: string;
  Name: string;
  SortName?: string;
  Type: ItemType;
  IsFolder: boolean;
  MediaType?: MediaType;
  CollectionType?: string;
  ParentId?: string;
  Container?: string;
  Path?: string;
  Size?: number;
  RunTimeTicks?: number;
  Bitrate?: number;
  DateCreated?: string;
  DateModified?: string;
  PremiereDate?: string;
  ProductionYear?: number;
  IndexNumber?: number;
  ParentIndexNumber?: number;
  SeriesId?: string;
  SeriesName?: string;
  SeasonId?: string;
  SeasonName?: string;
  AlbumId?: string;
  Album?: string;
  AlbumArtist?: string;
  AlbumArtists?: NameIdPair[];
  Artists?: string[];
  ArtistItems?: NameIdPair[];
  Overview?: string;
  Genres?: string[];
  GenreItems?: NameIdPair[];
  Studios?: NameIdPair[];
  People?: BaseItemPerson[];
  ChildCount?: number;
  RecursiveItemCount?: number;
  ImageTags: Record<string, string>;
  BackdropImageTags: string[];
  SeriesPrimaryImageTag?: string;
  AlbumPrimaryImageTag?: string;
  PrimaryImageAspectRatio?: number;
  Width?: number;
  Height?: number;
  MediaSources?: MediaSourceInfo[];
  MediaStreams?: MediaStream[];
  UserData?: UserItemDataDto;
  PlaylistItemId?: string;
  // Sync fields (Fields=BasicSyncInfo / SyncInfo)
  SupportsSync?: boolean;
  HasSyncJob?: boolean;
  IsSynced?: boolean;
  SyncStatus?: string;
  SyncPercent?: number;
}

export interface QueryResult<T> {
  Items: T[];
  TotalRecordCount: number;
  StartIndex?: number;
}

/** .NET ticks (100 ns since 0001-01-01) for a JS date: ItemDateModifiedTicks on the wire. */
export const TICKS_AT_UNIX_EPOCH = 621355968000000000n;
export function dateToDotNetTicks(d: Date | string): number {
  const ms = typeof d === 'string' ? Date.parse(d) : d.getTime();
  return Number(TICKS_AT_UNIX_EPOCH + BigInt(ms) * 10000n);
}
export const TICKS_PER_SECOND = 10_000_000;
/** The largest position or runtime in ticks we accept (~28 years): beyond it a number is no longer exact. */
export const MAX_TICKS = Number.MAX_SAFE_INTEGER;
