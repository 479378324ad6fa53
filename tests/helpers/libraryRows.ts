/**
 * Library rows written straight into SQLite, shaped like the scanner's (libraryWriter.ts): views with
 * top_parent_id = NULL, episodes under seasons under series, tracks under albums, items-by-name linked
 * through item_links with the writer's kinds. Tests say only what they are about.
 */
import type { Db } from '../../src/server/db/connection.js';
import { newId } from '../../src/server/ids.js';
import { sortNameOf } from '../../src/server/library/layout.js';

export const MINUTE_TICKS = 60 * 10_000_000;

export interface RowSpec {
  id?: string;
  type: string;
  name: string;
  parentId?: string | null;
  topParentId?: string | null;
  ownerUserId?: string;
  path?: string | null;
  isFolder?: boolean;
  mediaType?: string | null;
  collectionType?: string;
  container?: string;
  size?: number;
  mtimeMs?: number;
  runTimeTicks?: number | null;
  bitrate?: number;
  dateCreated?: string;
  premiereDate?: string;
  productionYear?: number;
  indexNumber?: number;
  parentIndexNumber?: number;
  seriesId?: string;
  seriesName?: string;
  seasonId?: string;
  seasonName?: string;
  albumId?: string;
  album?: string;
  albumArtist?: string;
  overview?: string;
  mediaStreams?: unknown[];
  extra?: Record<string, unknown>;
  imageTag?: string;
}

let clock = Date.parse('2024-01-01T00:00:00Z');
/** Each new row is one minute newer than the last unless told otherwise (Latest order is then insert order). */
function nextDate(): string {
  clock += 60_000;
  return new Date(clock).toISOString();
}

export class LibraryRows {
  constructor(private readonly db: Db) {}

  item(spec: RowSpec): string {
    const id = spec.id ?? newId();
    const created = spec.dateCreated ?? nextDate();
    this.db
      .prepare(
        `INSERT INTO items (id, type, name, sort_name, parent_id, top_parent_id, owner_user_id, path, is_folder,
           media_type, collection_type, container, size, mtime_ms, run_time_ticks, bitrate, date_created,
           date_modified, premiere_date, production_year, index_number, parent_index_number, series_id,
           series_name, season_id, season_name, album_id, album, album_artist, overview, media_streams, extra,
           image_tag)
         VALUES (@id, @type, @name, @sortName, @parentId, @topParentId, @ownerUserId, @path, @isFolder, @mediaType,
           @collectionType, @container, @size, @mtimeMs, @runTimeTicks, @bitrate, @created, @created,
           @premiereDate, @productionYear, @indexNumber, @parentIndexNumber, @seriesId, @seriesName, @seasonId,
           @seasonName, @albumId, @album, @albumArtist, @overview, @streams, @extra, @imageTag)`,
      )
      .run({
        id,
        type: spec.type,
        name: spec.name,
        sortName: sortNameOf(spec.name),
        parentId: spec.parentId ?? null,
        topParentId: spec.topParentId ?? null,
        ownerUserId: spec.ownerUserId ?? null,
        path: spec.path === undefined ? null : spec.path,
        isFolder: spec.isFolder ? 1 : 0,
        mediaType: spec.mediaType ?? null,
        collectionType: spec.collectionType ?? null,
        container: spec.container ?? null,
        size: spec.size ?? null,
        mtimeMs: spec.mtimeMs ?? null,
        runTimeTicks: spec.runTimeTicks === undefined ? null : spec.runTimeTicks,
        bitrate: spec.bitrate ?? null,
        created,
        premiereDate: spec.premiereDate ?? null,
        productionYear: spec.productionYear ?? null,
        indexNumber: spec.indexNumber ?? null,
        parentIndexNumber: spec.parentIndexNumber ?? null,
        seriesId: spec.seriesId ?? null,
        seriesName: spec.seriesName ?? null,
        seasonId: spec.seasonId ?? null,
        seasonName: spec.seasonName ?? null,
        albumId: spec.albumId ?? null,
        album: spec.album ?? null,
        albumArtist: spec.albumArtist ?? null,
        overview: spec.overview ?? null,
        streams: JSON.stringify(spec.mediaStreams ?? []),
        extra: JSON.stringify(spec.extra ?? {}),
        imageTag: spec.imageTag ?? null,
      });
    return id;
  }

  view(kind: 'movies' | 'tvshows' | 'music' | 'photos', name: string = kind): string {
    return this.item({ type: 'CollectionFolder', name, isFolder: true, collectionType: kind });
  }

  /** A video file item directly in a view (Movie or Video). */
  movie(view: string, name: string, spec: Partial<RowSpec> = {}): string {
    return this.item({
      type: 'Movie',
      name,
      parentId: view,
      topParentId: view,
      mediaType: 'Video',
      path: `/media/movies/${name}.mkv`,
      container: 'mkv',
      size: 1000,
      mtimeMs: 1,
      runTimeTicks: 100 * MINUTE_TICKS,
      ...spec,
    });
  }

  series(view: string, name: string, spec: Partial<RowSpec> = {}): string {
    return this.item({ type: 'Series', name, parentId: view, topParentId: view, isFolder: true, path: `/media/tv/${name}`, ...spec });
  }

  season(view: string, series: string, n: number, seriesName = 'Show'): string {
    return this.item({
      type: 'Season',
      name: n === 0 ? 'Specials' : `Season ${n}`,
      parentId: series,
      topParentId: view,
      isFolder: true,
      seriesId: series,
      seriesName,
      indexNumber: n,
    });
  }

  episode(view: string, series: string, season: string, s: number, e: number, spec: Partial<RowSpec> = {}): string {
    return this.item({
      type: 'Episode',
      name: `Episode ${s}x${e}`,
      parentId: season,
      topParentId: view,
      mediaType: 'Video',
      path: `/media/tv/${series}/S${s}E${e}-${newId()}.mkv`,
      container: 'mkv',
      size: 1000,
      mtimeMs: 1,
      runTimeTicks: 45 * MINUTE_TICKS,
      seriesId: series,
      seriesName: 'Show',
      seasonId: season,
      seasonName: `Season ${s}`,
      parentIndexNumber: s,
      indexNumber: e,
      ...spec,
    });
  }

  album(view: string, name: string, artist: string): string {
    const id = this.item({ type: 'MusicAlbum', name, parentId: view, topParentId: view, isFolder: true, albumArtist: artist });
    this.link(id, this.byName('MusicArtist', artist), 'albumartist');
    return id;
  }

  track(view: string, album: string, n: number, name: string, artist: string, spec: Partial<RowSpec> = {}): string {
    const id = this.item({
      type: 'Audio',
      name,
      parentId: album,
      topParentId: view,
      mediaType: 'Audio',
      path: `/media/music/${album}/${n} ${name}.mp3`,
      container: 'mp3',
      size: 500,
      mtimeMs: 1,
      runTimeTicks: 3 * MINUTE_TICKS,
      albumId: album,
      indexNumber: n,
      albumArtist: artist,
      ...spec,
    });
    this.link(id, this.byName('MusicArtist', artist), 'artist');
    this.link(id, this.byName('MusicArtist', artist), 'albumartist');
    return id;
  }

  /** The items-by-name row for a name, created once (ids are stable per type and name). */
  byName(type: 'Genre' | 'MusicGenre' | 'Studio' | 'Person' | 'MusicArtist', name: string): string {
    const existing = this.db.prepare('SELECT id FROM items WHERE type = ? AND name = ?').pluck().get(type, name) as string | undefined;
    return existing ?? this.item({ type, name, isFolder: type !== 'Person' });
  }

  link(itemId: string, targetId: string, kind: string, role?: string): void {
    this.db
      .prepare('INSERT OR IGNORE INTO item_links (item_id, target_id, kind, role) VALUES (?, ?, ?, ?)')
      .run(itemId, targetId, kind, role ?? null);
  }

  genre(itemId: string, name: string): void {
    this.link(itemId, this.byName('Genre', name), 'genre');
  }
}
