/**
 * What a scanned file becomes in the library, decided without touching the database: its own `items` row,
 * the rows it hangs from (view, series, season, album, items-by-name) and its links. Every id is derived
 * from a stable key (`stableId`), so rescans keep the ids clients hold and the plan needs no look-ups;
 * `LibraryWriter` carries it out in one transaction.
 *
 * External subtitles: `media_streams` holds the wire form, where a sidecar stream's `Path` is the bare
 * file name (API.md: no server paths on the wire). The absolute path is kept server-side in
 * `extra.externalSubtitlePaths`, keyed by the stream's Index — read it with `externalSubtitlePath()`.
 */
import type { ItemType, MediaStream } from '../../shared/api/items.js';
import type { ItemsTable } from '../db/tables.js';
import { stableId } from '../ids.js';
import type { ByNameType } from './itemTypes.js';
import type { AudioLayout, PhotoLayout, SidecarSubtitle, VideoLayout, VideoMetadata } from './layout.js';
import { sortNameOf, videoMetadataFromTags } from './layout.js';
import type { ProbeResult } from './probe.js';

export type ViewKind = 'movies' | 'tvshows' | 'music' | 'photos';

const VIEW_NAMES: Record<ViewKind, string> = { movies: 'Movies', tvshows: 'TV Shows', music: 'Music', photos: 'Photos' };

export interface ScannedFile {
  path: string;
  size: number;
  mtimeMs: number;
  layout: VideoLayout | AudioLayout | PhotoLayout;
  probe: ProbeResult;
  sidecars: SidecarSubtitle[];
  /** Set when the file is cut short: the reason, kept on the item. */
  incomplete?: string;
}

/** Server-side data in `items.extra` for file items. */
export interface FileItemExtra {
  externalSubtitlePaths?: Record<string, string>;
  sidecarKey?: string;
  artists?: string[];
  formatName?: string;
  /** Folder whose artwork (folder.jpg, poster.jpg) belongs to a series, season or album. */
  folder?: string;
  indexNumberEnd?: number;
  /** Why the file is incomplete (cut short); sync fails such an item with this reason (library/completeness.ts). */
  incomplete?: string;
}

/** The link kinds in `item_links`, one per items-by-name type. */
export const LINK_KINDS = {
  Genre: 'genre',
  MusicGenre: 'musicgenre',
  Studio: 'studio',
  Person: 'person',
  MusicArtist: 'artist',
  AlbumArtist: 'albumartist',
} as const;

export function viewId(kind: ViewKind): string {
  return stableId(`CollectionFolder:${kind}`);
}
export function byNameId(type: ByNameType, name: string): string {
  return stableId(`${type}:${name.toLowerCase()}`);
}
export function seasonId(seriesId: string, seasonNumber: number | undefined): string {
  return stableId(`Season:${seriesId}:${seasonNumber ?? 'unknown'}`);
}
export function albumId(albumKey: string): string {
  return stableId(`MusicAlbum:${albumKey}`);
}

/** A sidecar subtitle's absolute path from an item's `extra` JSON; undefined for embedded streams. */
export function externalSubtitlePath(extraJson: string | FileItemExtra, streamIndex: number): string | undefined {
  const extra: FileItemExtra = typeof extraJson === 'string' ? (JSON.parse(extraJson || '{}') as FileItemExtra) : extraJson;
  return extra.externalSubtitlePaths?.[String(streamIndex)];
}

/** Embedded streams plus one external stream per sidecar, numbered after the embedded ones. */
export function withSidecarStreams(
  embedded: readonly MediaStream[],
  sidecars: readonly SidecarSubtitle[],
): { streams: MediaStream[]; paths: Record<string, string> } {
  const streams = embedded.filter((s) => !s.IsExternal);
  let next = streams.reduce((m, s) => Math.max(m, s.Index), -1) + 1;
  const paths: Record<string, string> = {};
  for (const sub of sidecars) {
    const stream: MediaStream = {
      Type: 'Subtitle',
      Index: next,
      Codec: sub.codec,
      IsDefault: sub.isDefault,
      IsForced: sub.isForced,
      IsExternal: true,
      IsTextSubtitleStream: true,
      SupportsExternalStream: true,
      Path: sub.fileName,
    };
    if (sub.language) stream.Language = sub.language;
    if (sub.title) stream.Title = sub.title;
    streams.push(stream);
    paths[String(next)] = sub.path;
    next++;
  }
  return { streams, paths };
}

export function sidecarKeyOf(sidecars: readonly SidecarSubtitle[]): string {
  return sidecars.map((s) => s.fileName).join('\u0000');
}

/**
 * The columns the scanner writes: the table's row without what the database fills in (dates), what images
 * and ownership set later — with the item type narrowed.
 */
export type ScannedItemRow = Omit<ItemsTable, 'type' | 'owner_user_id' | 'date_created' | 'date_modified' | 'image_path' | 'image_tag'> & {
  type: ItemType;
};

/** Which columns a rescan refreshes on a container that already exists (the rest stays as first written). */
export type ContainerKind = 'view' | 'byName' | 'series' | 'season' | 'album';

export interface ContainerPlan {
  kind: ContainerKind;
  row: ScannedItemRow;
}

export interface LinkPlan {
  itemId: string;
  target: string;
  kind: string;
  role?: string;
}

export interface FilePlan {
  row: ScannedItemRow;
  /** Written before the file, in order; each inserted if missing, its kind's columns refreshed if not. */
  containers: ContainerPlan[];
  /** The file's own links (replacing the previous ones, positions in this order). */
  links: LinkPlan[];
  /** Added to containers, never removed by a rescan of one file (a series gathers its episodes' genres). */
  containerLinks: LinkPlan[];
}

export function emptyRow(id: string, type: ItemType, name: string): ScannedItemRow {
  const row: ScannedItemRow = {
    id,
    type,
    name,
    sort_name: sortNameOf(name),
    is_folder: 0,
    media_streams: '[]',
    extra: '{}',
  } as ScannedItemRow;
  for (const col of NULLABLE_COLUMNS) (row as unknown as Record<string, null>)[col] = null;
  return row;
}

const NULLABLE_COLUMNS = [
  'parent_id',
  'top_parent_id',
  'path',
  'media_type',
  'collection_type',
  'container',
  'size',
  'mtime_ms',
  'run_time_ticks',
  'bitrate',
  'premiere_date',
  'production_year',
  'index_number',
  'parent_index_number',
  'series_id',
  'series_name',
  'season_id',
  'season_name',
  'album_id',
  'album',
  'album_artist',
  'overview',
  'scan_id',
] as const satisfies ReadonlyArray<keyof ScannedItemRow>;

/** Every column the scanner writes, in one order (the upsert statement's). */
export const SCANNED_COLUMNS: ReadonlyArray<keyof ScannedItemRow> = [
  'id',
  'type',
  'name',
  'sort_name',
  'is_folder',
  'media_streams',
  'extra',
  ...NULLABLE_COLUMNS,
];

/** Plans one scanned file: its row, what it hangs from, and its links. */
export function planFile(f: ScannedFile, scanId: number): FilePlan {
  const id = stableId(f.path);
  const layout = f.layout;
  const plan: FilePlan = { row: emptyRow(id, layout.type, layout.name), containers: [], links: [], containerLinks: [] };
  const { streams, paths } = withSidecarStreams(f.probe.streams, f.sidecars);
  const extra: FileItemExtra = { sidecarKey: sidecarKeyOf(f.sidecars), formatName: f.probe.formatName };
  if (Object.keys(paths).length) extra.externalSubtitlePaths = paths;
  if (f.incomplete) extra.incomplete = f.incomplete;
  Object.assign(plan.row, {
    path: f.path,
    container: f.probe.container ?? null,
    size: f.size,
    mtime_ms: Math.floor(f.mtimeMs),
    run_time_ticks: f.probe.runTimeTicks ?? null,
    bitrate: f.probe.bitrate ?? null,
    media_streams: JSON.stringify(streams),
    premiere_date: premiereDate(f.probe.tags.date),
    scan_id: scanId,
  });
  if (layout.type === 'Photo') {
    const view = addView(plan, 'photos');
    // ffprobe gives stills a nominal duration and bitrate; neither means anything for a photo.
    Object.assign(plan.row, { media_type: 'Photo', parent_id: view, top_parent_id: view, run_time_ticks: null, bitrate: null });
  } else if (layout.type === 'Audio') {
    planAudio(plan, layout, extra);
  } else {
    planVideo(plan, layout, f.probe, extra);
  }
  plan.row.extra = JSON.stringify(extra);
  return plan;
}

function planAudio(plan: FilePlan, layout: AudioLayout, extra: FileItemExtra): void {
  const view = addView(plan, 'music');
  extra.artists = layout.artists;
  let album: string | null = null;
  if (layout.album && layout.albumKey) {
    const row = containerRow(albumId(layout.albumKey), 'MusicAlbum', layout.album, {
      parent_id: view,
      top_parent_id: view,
      album_artist: layout.albumArtist ?? null,
      production_year: layout.year ?? null,
      extra: JSON.stringify({ folder: layout.folder }),
    });
    album = addContainer(plan, 'album', row);
    if (layout.albumArtist)
      plan.containerLinks.push(link(album, addByName(plan, 'MusicArtist', layout.albumArtist), LINK_KINDS.AlbumArtist));
  }
  Object.assign(plan.row, {
    media_type: 'Audio',
    parent_id: album ?? view,
    top_parent_id: view,
    album_id: album,
    album: layout.album ?? null,
    album_artist: layout.albumArtist ?? null,
    index_number: layout.indexNumber ?? null,
    parent_index_number: layout.parentIndexNumber ?? null,
    production_year: layout.year ?? null,
  });
  const id = plan.row.id;
  for (const a of layout.artists) plan.links.push(link(id, addByName(plan, 'MusicArtist', a), LINK_KINDS.MusicArtist));
  if (layout.albumArtist) plan.links.push(link(id, addByName(plan, 'MusicArtist', layout.albumArtist), LINK_KINDS.AlbumArtist));
  for (const g of layout.genres) {
    const genre = addByName(plan, 'MusicGenre', g);
    plan.links.push(link(id, genre, LINK_KINDS.MusicGenre));
    if (album) plan.containerLinks.push(link(album, genre, LINK_KINDS.MusicGenre));
  }
}

function planVideo(plan: FilePlan, layout: VideoLayout, probe: ProbeResult, extra: FileItemExtra): void {
  const meta = videoMetadataFromTags(probe.tags);
  const view = addView(plan, layout.type === 'Episode' ? 'tvshows' : 'movies');
  const year = layout.type === 'Episode' ? null : (layout.year ?? null);
  Object.assign(plan.row, { media_type: 'Video', parent_id: view, top_parent_id: view, production_year: year });
  if (layout.type === 'Episode') {
    const series = addContainer(
      plan,
      'series',
      containerRow(stableId(layout.series.key), 'Series', layout.series.name, {
        production_year: layout.series.year ?? null,
        parent_id: view,
        top_parent_id: view,
        path: layout.series.key,
        extra: JSON.stringify({ folder: layout.series.key }),
      }),
    );
    // Series gather their episodes' genres and studios (additive: a rescan of one episode never drops them).
    for (const l of metadataLinks(plan, series, { ...meta, people: [] })) plan.containerLinks.push(l);
    const n = layout.seasonNumber;
    let season: string | null = null;
    if (n !== undefined) {
      const row = containerRow(seasonId(series, n), 'Season', seasonDisplayName(n), {
        parent_id: series,
        top_parent_id: view,
        series_id: series,
        series_name: layout.series.name,
        index_number: n,
        // Season folders are optional ("Show/S01E02.mkv"): the series folder's artwork is the fallback.
        extra: JSON.stringify({ folder: layout.seasonFolder }),
      });
      season = addContainer(plan, 'season', row);
    }
    Object.assign(plan.row, {
      parent_id: season ?? series,
      series_id: series,
      series_name: layout.series.name,
      season_id: season,
      season_name: n === undefined ? null : seasonDisplayName(n),
      index_number: layout.indexNumber ?? null,
      parent_index_number: n ?? null,
      production_year: probe.tags.year ?? layout.series.year ?? null,
    });
    if (layout.indexNumberEnd !== undefined) extra.indexNumberEnd = layout.indexNumberEnd;
  }
  plan.row.overview = meta.overview ?? null;
  plan.links.push(...metadataLinks(plan, plan.row.id, meta));
}

function metadataLinks(plan: FilePlan, itemId: string, meta: VideoMetadata): LinkPlan[] {
  const links: LinkPlan[] = [];
  for (const g of meta.genres) links.push(link(itemId, addByName(plan, 'Genre', g), LINK_KINDS.Genre));
  for (const s of meta.studios) links.push(link(itemId, addByName(plan, 'Studio', s), LINK_KINDS.Studio));
  for (const p of meta.people) links.push(link(itemId, addByName(plan, 'Person', p.name), LINK_KINDS.Person, p.type));
  return links;
}

function link(itemId: string, target: string, kind: string, role?: string): LinkPlan {
  return role === undefined ? { itemId, target, kind } : { itemId, target, kind, role };
}

function containerRow(id: string, type: ItemType, name: string, columns: Partial<ScannedItemRow>): ScannedItemRow {
  return { ...emptyRow(id, type, name), is_folder: 1, ...columns };
}

function addContainer(plan: FilePlan, kind: ContainerKind, row: ScannedItemRow): string {
  plan.containers.push({ kind, row });
  return row.id;
}

function addView(plan: FilePlan, kind: ViewKind): string {
  return addContainer(plan, 'view', { ...containerRow(viewId(kind), 'CollectionFolder', VIEW_NAMES[kind], {}), collection_type: kind });
}

function addByName(plan: FilePlan, type: ByNameType, name: string): string {
  // Emby shows Genre, Studio and MusicArtist as folders of their items; a Person is not one.
  const row = { ...emptyRow(byNameId(type, name), type, name), is_folder: type === 'Person' ? 0 : 1 };
  return addContainer(plan, 'byName', row);
}

function seasonDisplayName(n: number | undefined): string {
  if (n === undefined) return 'Season Unknown';
  return n === 0 ? 'Specials' : `Season ${n}`;
}

/** A full date tag ("2019-05-04") becomes PremiereDate; a bare year stays ProductionYear only. */
function premiereDate(date: string | undefined): string | null {
  if (!date || !/^\d{4}-\d{2}-\d{2}/.test(date)) return null;
  const t = Date.parse(date.slice(0, 10) + 'T00:00:00Z');
  return Number.isFinite(t) ? new Date(t).toISOString() : null;
}
