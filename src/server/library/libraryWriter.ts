/**
 * The library's write side: turns scanned files into `items` rows (with their views, series, seasons,
 * albums and items-by-name), keeps ids stable across rescans, removes what vanished, and records scan
 * issues. Every call that writes runs in one transaction, so readers never see half an item.
 *
 * External subtitles: `media_streams` holds the wire form, where a sidecar stream's `Path` is the bare
 * file name (API.md: no server paths on the wire). The absolute path is kept server-side in
 * `extra.externalSubtitlePaths`, keyed by the stream's Index — read it with `externalSubtitlePath()`.
 */
import type { Db } from '../db/connection.js';
import { tx } from '../db/connection.js';
import { stableId } from '../ids.js';
import type { ItemType, MediaStream } from '../../shared/api/items.js';
import type { AudioLayout, PhotoLayout, SidecarSubtitle, VideoLayout, VideoMetadata } from './layout.js';
import { sortNameOf, videoMetadataFromTags } from './layout.js';
import type { ItemRow as LibraryItemRow } from './itemsRepo.js';
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

export interface KnownFile {
  id: string;
  size: number;
  mtimeMs: number;
  sidecarKey: string;
  hasImage: boolean;
  incomplete?: string;
}

export interface WrittenItem {
  id: string;
  change: 'added' | 'updated';
}

export interface ScanIssue {
  path: string;
  reason: string;
  date: string;
}

/** Server-side data in `items.extra` for file items. */
export interface FileItemExtra {
  externalSubtitlePaths?: Record<string, string>;
  sidecarKey?: string;
  artists?: string[];
  formatName?: string;
  /** Folder whose artwork (folder.jpg, poster.jpg) belongs to a series, season or album. */
  folder?: string;
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
export function byNameId(type: 'Genre' | 'MusicGenre' | 'Studio' | 'Person' | 'MusicArtist', name: string): string {
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
 * The columns the scanner writes: the read side's row without what the database fills in (dates), what
 * images and ownership set later, and the playlist listing column — with the item type narrowed.
 */
type ItemRow = Omit<
  LibraryItemRow,
  'type' | 'owner_user_id' | 'date_created' | 'date_modified' | 'image_path' | 'image_tag' | 'playlist_item_id'
> & { type: ItemType };

const COLUMNS: (keyof ItemRow)[] = [
  'id',
  'type',
  'name',
  'sort_name',
  'parent_id',
  'top_parent_id',
  'path',
  'is_folder',
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
  'media_streams',
  'extra',
  'scan_id',
];

function emptyRow(id: string, type: ItemType, name: string): ItemRow {
  return {
    id,
    type,
    name,
    sort_name: sortNameOf(name),
    parent_id: null,
    top_parent_id: null,
    path: null,
    is_folder: 0,
    media_type: null,
    collection_type: null,
    container: null,
    size: null,
    mtime_ms: null,
    run_time_ticks: null,
    bitrate: null,
    premiere_date: null,
    production_year: null,
    index_number: null,
    parent_index_number: null,
    series_id: null,
    series_name: null,
    season_id: null,
    season_name: null,
    album_id: null,
    album: null,
    album_artist: null,
    overview: null,
    media_streams: '[]',
    extra: '{}',
    scan_id: null,
  };
}

const BY_NAME_TYPES = ['Genre', 'MusicGenre', 'Studio', 'Person', 'MusicArtist'] as const;
const CONTAINER_TYPES = ['Season', 'Series', 'MusicAlbum'] as const;

export class LibraryWriter {
  private readonly upsertStmt;
  private readonly existsStmt;

  constructor(private readonly db: Db) {
    const cols = COLUMNS.join(', ');
    const vals = COLUMNS.map((c) => `@${c}`).join(', ');
    // date_created is set once; date_modified only moves when the caller passes a new one (file changed).
    const updates = COLUMNS.filter((c) => c !== 'id')
      .map((c) => `${c} = excluded.${c}`)
      .join(', ');
    this.upsertStmt = db.prepare(
      `INSERT INTO items (${cols}, date_created, date_modified) VALUES (${vals}, @now, @now)
       ON CONFLICT(id) DO UPDATE SET ${updates},
         date_modified = CASE WHEN @touchModified = 1 THEN excluded.date_modified ELSE items.date_modified END`,
    );
    this.existsStmt = db.prepare('SELECT 1 FROM items WHERE id = ?').pluck();
  }

  /** File items by path, for the incremental check (same size and mtime → not probed again). */
  knownFiles(): Map<string, KnownFile> {
    const rows = this.db
      .prepare(
        `SELECT id, path, size, mtime_ms, extra, image_tag FROM items
         WHERE is_folder = 0 AND path IS NOT NULL AND mtime_ms IS NOT NULL`,
      )
      .all() as Array<{ id: string; path: string; size: number; mtime_ms: number; extra: string; image_tag: string | null }>;
    const map = new Map<string, KnownFile>();
    for (const r of rows) {
      const extra = JSON.parse(r.extra || '{}') as FileItemExtra;
      map.set(r.path, {
        id: r.id,
        size: r.size,
        mtimeMs: r.mtime_ms,
        sidecarKey: extra.sidecarKey ?? '',
        hasImage: !!r.image_tag,
        incomplete: extra.incomplete,
      });
    }
    return map;
  }

  nextScanId(): number {
    return ((this.db.prepare('SELECT COALESCE(MAX(scan_id), 0) FROM items').pluck().get() as number) ?? 0) + 1;
  }

  /** Writes new and changed files with everything they hang from, in one transaction. */
  writeFiles(files: readonly ScannedFile[], scanId: number, now = new Date().toISOString()): WrittenItem[] {
    return tx(this.db, () => files.map((f) => this.writeFile(f, scanId, now)));
  }

  /** Unchanged files: only their scan id moves, so the end-of-scan sweep knows they are still there. */
  markSeen(ids: readonly string[], scanId: number): void {
    const stmt = this.db.prepare('UPDATE items SET scan_id = ? WHERE id = ?');
    tx(this.db, () => {
      for (const id of ids) stmt.run(scanId, id);
    });
  }

  /** A sidecar appeared or went away beside an unchanged video: rebuild its streams without probing. */
  updateSidecars(id: string, sidecars: readonly SidecarSubtitle[], scanId: number, now = new Date().toISOString()): void {
    tx(this.db, () => {
      const row = this.db.prepare('SELECT media_streams, extra FROM items WHERE id = ?').get(id) as
        { media_streams: string; extra: string } | undefined;
      if (!row) return;
      const { streams, paths } = withSidecarStreams(JSON.parse(row.media_streams) as MediaStream[], sidecars);
      const extra = JSON.parse(row.extra || '{}') as FileItemExtra;
      extra.externalSubtitlePaths = paths;
      extra.sidecarKey = sidecarKeyOf(sidecars);
      this.db
        .prepare('UPDATE items SET media_streams = ?, extra = ?, date_modified = ?, scan_id = ? WHERE id = ?')
        .run(JSON.stringify(streams), JSON.stringify(extra), now, scanId, id);
    });
  }

  /**
   * Deletes file items this scan did not see (including those of media folders no longer configured),
   * except under `keep` (folders that could not be read, roots that are missing: an unmounted disk must
   * not empty the library), then everything left empty. Returns the removed ids.
   */
  removeUnseen(scanId: number, keep: readonly string[]): string[] {
    return tx(this.db, () => {
      const rows = this.db
        .prepare(
          `SELECT id, path FROM items WHERE is_folder = 0 AND path IS NOT NULL AND mtime_ms IS NOT NULL
           AND (scan_id IS NULL OR scan_id <> ?)`,
        )
        .all(scanId) as Array<{ id: string; path: string }>;
      const del = this.db.prepare('DELETE FROM items WHERE id = ?');
      const removed: string[] = [];
      for (const r of rows) {
        if (keep.some((k) => isWithin(k, r.path) || k === r.path)) continue;
        del.run(r.id);
        removed.push(r.id);
      }
      return removed.concat(this.pruneEmpty());
    });
  }

  /** Seasons, series, albums and views without children, and items-by-name nothing links to. */
  private pruneEmpty(): string[] {
    const removed: string[] = [];
    const types = CONTAINER_TYPES.map((t) => `'${t}'`).join(',');
    for (;;) {
      const empty = this.db
        .prepare(
          `SELECT id FROM items i WHERE (i.type IN (${types}) OR i.type = 'CollectionFolder')
           AND NOT EXISTS (SELECT 1 FROM items c WHERE c.parent_id = i.id)`,
        )
        .pluck()
        .all() as string[];
      if (empty.length === 0) break;
      const del = this.db.prepare('DELETE FROM items WHERE id = ?');
      for (const id of empty) del.run(id);
      removed.push(...empty);
    }
    const byName = BY_NAME_TYPES.map((t) => `'${t}'`).join(',');
    const orphans = this.db
      .prepare(
        `SELECT id FROM items i WHERE i.type IN (${byName})
         AND NOT EXISTS (SELECT 1 FROM item_links l WHERE l.target_id = i.id)`,
      )
      .pluck()
      .all() as string[];
    const del = this.db.prepare('DELETE FROM items WHERE id = ?');
    for (const id of orphans) del.run(id);
    return removed.concat(orphans);
  }

  setImage(id: string, imagePath: string | null, imageTag: string | null): void {
    this.db.prepare('UPDATE items SET image_path = ?, image_tag = ? WHERE id = ?').run(imagePath, imageTag, id);
  }

  imageOf(id: string): { imagePath: string; imageTag: string } | undefined {
    const r = this.db.prepare('SELECT image_path, image_tag FROM items WHERE id = ?').get(id) as
      { image_path: string | null; image_tag: string | null } | undefined;
    return r?.image_path && r.image_tag ? { imagePath: r.image_path, imageTag: r.image_tag } : undefined;
  }

  itemExists(id: string): boolean {
    return this.existsStmt.get(id) !== undefined;
  }

  /** What the image extractor needs about one item. */
  imageSource(id: string): ImageSourceRow | undefined {
    return this.db
      .prepare(`SELECT id, type, path, media_type, run_time_ticks, media_streams, extra, image_tag FROM items WHERE id = ?`)
      .get(id) as ImageSourceRow | undefined;
  }

  /** File items still without an image (a previous scan's extraction failed or never ran). */
  fileItemsWithoutImage(): string[] {
    return this.db
      .prepare(`SELECT id FROM items WHERE is_folder = 0 AND mtime_ms IS NOT NULL AND image_tag IS NULL`)
      .pluck()
      .all() as string[];
  }

  /** Series, seasons and albums without an image, with their folder and first child holding one. */
  containersWithoutImage(): Array<{ id: string; type: string; folder?: string; firstChildImage?: string }> {
    const rows = this.db
      .prepare(
        `SELECT i.id, i.type, i.extra, i.path,
           (SELECT c.image_path FROM items c
             WHERE (c.parent_id = i.id OR c.season_id = i.id OR c.series_id = i.id OR c.album_id = i.id)
               AND c.image_path IS NOT NULL AND c.is_folder = 0
             ORDER BY c.parent_index_number, c.index_number, c.sort_name LIMIT 1) AS child_image
         FROM items i WHERE i.type IN ('Series', 'Season', 'MusicAlbum') AND i.image_tag IS NULL`,
      )
      .all() as Array<{ id: string; type: string; extra: string; path: string | null; child_image: string | null }>;
    return rows.map((r) => {
      const extra = JSON.parse(r.extra || '{}') as FileItemExtra;
      return { id: r.id, type: r.type, folder: extra.folder, firstChildImage: r.child_image ?? undefined };
    });
  }

  /** Replaces the issues with this scan's: fixed and vanished files drop out, dates of known ones stay. */
  replaceIssues(issues: ReadonlyArray<{ path: string; reason: string }>, now = new Date().toISOString()): void {
    tx(this.db, () => {
      const current = new Set(issues.map((i) => i.path));
      const existing = this.db.prepare('SELECT path FROM scan_issues').pluck().all() as string[];
      const del = this.db.prepare('DELETE FROM scan_issues WHERE path = ?');
      for (const p of existing) {
        if (!current.has(p)) del.run(p);
      }
      const up = this.db.prepare(
        `INSERT INTO scan_issues (path, reason, date) VALUES (?, ?, ?)
         ON CONFLICT(path) DO UPDATE SET reason = excluded.reason,
           date = CASE WHEN scan_issues.reason = excluded.reason THEN scan_issues.date ELSE excluded.date END`,
      );
      for (const i of issues) up.run(i.path, i.reason, now);
    });
  }

  issues(): ScanIssue[] {
    return this.db.prepare('SELECT path, reason, date FROM scan_issues ORDER BY path').all() as ScanIssue[];
  }

  // -------------------------------------------------------------------------------------------

  private writeFile(f: ScannedFile, scanId: number, now: string): WrittenItem {
    const id = stableId(f.path);
    const existed = this.itemExists(id);
    const layout = f.layout;
    const row = emptyRow(id, layout.type, layout.name);
    const { streams, paths } = withSidecarStreams(f.probe.streams, f.sidecars);
    const extra: FileItemExtra = {
      sidecarKey: sidecarKeyOf(f.sidecars),
      formatName: f.probe.formatName,
    };
    if (Object.keys(paths).length) extra.externalSubtitlePaths = paths;
    if (f.incomplete) extra.incomplete = f.incomplete;
    Object.assign(row, {
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
    const links: Array<{ target: string; kind: string; role?: string }> = [];

    if (layout.type === 'Photo') {
      const view = this.ensureView('photos', now);
      // ffprobe gives stills a nominal duration and bitrate; neither means anything for a photo.
      Object.assign(row, { media_type: 'Photo', parent_id: view, top_parent_id: view, run_time_ticks: null, bitrate: null });
    } else if (layout.type === 'Audio') {
      const view = this.ensureView('music', now);
      extra.artists = layout.artists;
      let parent = view;
      let album: string | null = null;
      if (layout.album && layout.albumKey) {
        album = this.ensureAlbum(layout, view, now);
        parent = album;
      }
      Object.assign(row, {
        media_type: 'Audio',
        parent_id: parent,
        top_parent_id: view,
        album_id: album,
        album: layout.album ?? null,
        album_artist: layout.albumArtist ?? null,
        index_number: layout.indexNumber ?? null,
        parent_index_number: layout.parentIndexNumber ?? null,
        production_year: layout.year ?? null,
      });
      layout.artists.forEach((a) => links.push({ target: this.ensureByName('MusicArtist', a, now), kind: LINK_KINDS.MusicArtist }));
      if (layout.albumArtist) {
        links.push({ target: this.ensureByName('MusicArtist', layout.albumArtist, now), kind: LINK_KINDS.AlbumArtist });
      }
      for (const g of layout.genres) {
        const gid = this.ensureByName('MusicGenre', g, now);
        links.push({ target: gid, kind: LINK_KINDS.MusicGenre });
        if (album) this.addLink(album, gid, LINK_KINDS.MusicGenre);
      }
    } else {
      const meta = videoMetadataFromTags(f.probe.tags);
      const kind: ViewKind = layout.type === 'Episode' ? 'tvshows' : 'movies';
      const view = this.ensureView(kind, now);
      Object.assign(row, {
        media_type: 'Video',
        parent_id: view,
        top_parent_id: view,
        production_year: layout.type === 'Episode' ? null : (layout.year ?? null),
      });
      if (layout.type === 'Episode') {
        const series = this.ensureSeries(layout.series, view, now);
        this.addMetadataLinks(series, meta, now, false);
        let parent = series;
        let season: string | null = null;
        const seasonName = layout.seasonNumber === undefined ? null : seasonDisplayName(layout.seasonNumber);
        if (layout.seasonNumber !== undefined) {
          season = this.ensureSeason(series, layout, view, now);
          parent = season;
        }
        Object.assign(row, {
          parent_id: parent,
          series_id: series,
          series_name: layout.series.name,
          season_id: season,
          season_name: seasonName,
          index_number: layout.indexNumber ?? null,
          parent_index_number: layout.seasonNumber ?? null,
          production_year: f.probe.tags.year ?? layout.series.year ?? null,
        });
        if (layout.indexNumberEnd !== undefined) (extra as Record<string, unknown>).indexNumberEnd = layout.indexNumberEnd;
      }
      row.overview = meta.overview ?? null;
      links.push(...this.metadataLinks(meta, now));
    }

    row.extra = JSON.stringify(extra);
    this.upsertStmt.run({ ...row, now, touchModified: 1 });
    this.db.prepare('DELETE FROM item_links WHERE item_id = ?').run(id);
    links.forEach((l, i) => this.addLink(id, l.target, l.kind, l.role, i));
    return { id, change: existed ? 'updated' : 'added' };
  }

  private metadataLinks(meta: VideoMetadata, now: string): Array<{ target: string; kind: string; role?: string }> {
    const links: Array<{ target: string; kind: string; role?: string }> = [];
    for (const g of meta.genres) links.push({ target: this.ensureByName('Genre', g, now), kind: LINK_KINDS.Genre });
    for (const s of meta.studios) links.push({ target: this.ensureByName('Studio', s, now), kind: LINK_KINDS.Studio });
    for (const p of meta.people) links.push({ target: this.ensureByName('Person', p.name, now), kind: LINK_KINDS.Person, role: p.type });
    return links;
  }

  /** Series gather their episodes' genres and studios (additive: a rescan of one episode never drops them). */
  private addMetadataLinks(target: string, meta: VideoMetadata, now: string, people: boolean): void {
    for (const l of this.metadataLinks({ ...meta, people: people ? meta.people : [] }, now)) this.addLink(target, l.target, l.kind, l.role);
  }

  private addLink(itemId: string, target: string, kind: string, role?: string, position = 0): void {
    this.db
      .prepare(
        `INSERT INTO item_links (item_id, target_id, kind, role, position) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(item_id, target_id, kind) DO NOTHING`,
      )
      .run(itemId, target, kind, role ?? null, position);
  }

  private insertIfMissing(row: ItemRow, now: string, update: Partial<ItemRow> = {}): string {
    if (!this.itemExists(row.id)) {
      this.upsertStmt.run({ ...row, now, touchModified: 0 });
    } else if (Object.keys(update).length) {
      const sets = Object.keys(update)
        .map((k) => `${k} = @${k}`)
        .join(', ');
      this.db.prepare(`UPDATE items SET ${sets} WHERE id = @id`).run({ ...update, id: row.id });
    }
    return row.id;
  }

  private ensureView(kind: ViewKind, now: string): string {
    const row = emptyRow(viewId(kind), 'CollectionFolder', VIEW_NAMES[kind]);
    Object.assign(row, { is_folder: 1, collection_type: kind });
    return this.insertIfMissing(row, now);
  }

  private ensureSeries(series: VideoLayoutEpisode['series'], view: string, now: string): string {
    const row = emptyRow(stableId(series.key), 'Series', series.name);
    const update = {
      name: series.name,
      sort_name: sortNameOf(series.name),
      production_year: series.year ?? null,
      parent_id: view,
      top_parent_id: view,
    };
    Object.assign(row, update, { is_folder: 1, path: series.key, extra: JSON.stringify({ folder: series.key }) });
    return this.insertIfMissing(row, now, update);
  }

  private ensureSeason(series: string, layout: VideoLayoutEpisode, view: string, now: string): string {
    const n = layout.seasonNumber;
    const name = seasonDisplayName(n);
    const row = emptyRow(seasonId(series, n), 'Season', name);
    const update = {
      name,
      sort_name: sortNameOf(name),
      parent_id: series,
      top_parent_id: view,
      series_id: series,
      series_name: layout.series.name,
      index_number: n ?? null,
      // Season folders are optional ("Show/S01E02.mkv"): the series folder's artwork is the fallback.
      extra: JSON.stringify({ folder: layout.seasonFolder }),
    };
    Object.assign(row, update, { is_folder: 1 });
    return this.insertIfMissing(row, now, update);
  }

  private ensureAlbum(layout: AudioLayout, view: string, now: string): string {
    const row = emptyRow(albumId(layout.albumKey!), 'MusicAlbum', layout.album!);
    const update = {
      name: layout.album!,
      sort_name: sortNameOf(layout.album!),
      parent_id: view,
      top_parent_id: view,
      album_artist: layout.albumArtist ?? null,
      production_year: layout.year ?? null,
      extra: JSON.stringify({ folder: layout.folder }),
    };
    Object.assign(row, update, { is_folder: 1 });
    const id = this.insertIfMissing(row, now, update);
    if (layout.albumArtist) this.addLink(id, this.ensureByName('MusicArtist', layout.albumArtist, now), LINK_KINDS.AlbumArtist);
    return id;
  }

  private ensureByName(type: (typeof BY_NAME_TYPES)[number], name: string, now: string): string {
    const row = emptyRow(byNameId(type, name), type, name);
    // Emby shows Genre, Studio and MusicArtist as folders of their items; a Person is not one.
    row.is_folder = type === 'Person' ? 0 : 1;
    return this.insertIfMissing(row, now);
  }
}

type VideoLayoutEpisode = Extract<VideoLayout, { type: 'Episode' }>;

export interface ImageSourceRow {
  id: string;
  type: ItemType;
  path: string | null;
  media_type: string | null;
  run_time_ticks: number | null;
  media_streams: string;
  extra: string;
  image_tag: string | null;
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

function isWithin(root: string, p: string): boolean {
  const r = root.endsWith('/') ? root : root + '/';
  return p.startsWith(r);
}
