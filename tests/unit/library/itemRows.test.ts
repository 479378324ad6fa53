import { describe, expect, it } from 'vitest';
import { stableId } from '../../../src/server/ids.js';
import { albumId, byNameId, planFile, seasonId, viewId, type ScannedFile } from '../../../src/server/library/itemRows.js';
import type { ProbeResult } from '../../../src/server/library/probe.js';

const probe = (over: Partial<ProbeResult> = {}): ProbeResult => ({
  container: 'mkv',
  formatName: 'matroska,webm',
  runTimeTicks: 600_000_000,
  bitrate: 2_000_000,
  streams: [{ Type: 'Video', Index: 0, Codec: 'h264', IsDefault: true, IsForced: false, IsExternal: false }],
  tags: {},
  ...over,
});

const file = (path: string, layout: ScannedFile['layout'], over: Partial<ScannedFile> = {}): ScannedFile => ({
  path,
  size: 1234,
  mtimeMs: 1_700_000_000_123.7,
  layout,
  probe: probe(),
  sidecars: [],
  ...over,
});

describe('planFile', () => {
  it('hangs an episode under its view, series and season, with stable ids and the series gathering its genres', () => {
    const series = { name: 'The Show', year: 2019, key: '/tv/The Show' };
    const f = file(
      '/tv/The Show/Season 02/The Show - S02E03.mkv',
      {
        type: 'Episode',
        name: 'Third',
        series,
        seasonNumber: 2,
        seasonFolder: '/tv/The Show/Season 02',
        indexNumber: 3,
        indexNumberEnd: 4,
      },
      { probe: probe({ tags: { genre: 'Drama/Crime', actor: 'Ann', date: '2019-05-04' } }) },
    );
    const plan = planFile(f, 7);
    const seriesId = stableId(series.key);
    const season = seasonId(seriesId, 2);
    expect(plan.row).toMatchObject({
      id: stableId(f.path),
      type: 'Episode',
      parent_id: season,
      top_parent_id: viewId('tvshows'),
      series_id: seriesId,
      season_id: season,
      season_name: 'Season 2',
      index_number: 3,
      parent_index_number: 2,
      production_year: 2019,
      premiere_date: '2019-05-04T00:00:00.000Z',
      mtime_ms: 1_700_000_000_123,
      scan_id: 7,
      media_type: 'Video',
    });
    expect(JSON.parse(plan.row.extra)).toMatchObject({ indexNumberEnd: 4, formatName: 'matroska,webm' });
    expect(plan.containers.map((c) => [c.kind, c.row.type])).toEqual([
      ['view', 'CollectionFolder'],
      ['series', 'Series'],
      ['byName', 'Genre'],
      ['byName', 'Genre'],
      ['season', 'Season'],
      ['byName', 'Genre'],
      ['byName', 'Genre'],
      ['byName', 'Person'],
    ]);
    const drama = byNameId('Genre', 'Drama');
    expect(plan.links).toEqual([
      { itemId: plan.row.id, target: drama, kind: 'genre' },
      { itemId: plan.row.id, target: byNameId('Genre', 'Crime'), kind: 'genre' },
      { itemId: plan.row.id, target: byNameId('Person', 'Ann'), kind: 'person', role: 'Actor' },
    ]);
    // The series gets the genres, never the people.
    expect(plan.containerLinks.map((l) => [l.itemId, l.kind])).toEqual([
      [seriesId, 'genre'],
      [seriesId, 'genre'],
    ]);
  });

  it('puts a track in its album, links artists and album artist, and gives the album its genre', () => {
    const f = file('/music/A/B/01.mp3', {
      type: 'Audio',
      name: 'One',
      artists: ['Singer', 'Guest'],
      albumArtist: 'Singer',
      album: 'Record',
      albumKey: 'singer|record',
      folder: '/music/A/B',
      indexNumber: 1,
      year: 2001,
      genres: ['Pop'],
    });
    const plan = planFile(f, 1);
    const album = albumId('singer|record');
    expect(plan.row).toMatchObject({ media_type: 'Audio', parent_id: album, album_id: album, album: 'Record', production_year: 2001 });
    expect(plan.links.map((l) => l.kind)).toEqual(['artist', 'artist', 'albumartist', 'musicgenre']);
    expect(plan.containerLinks).toEqual([
      { itemId: album, target: byNameId('MusicArtist', 'Singer'), kind: 'albumartist' },
      { itemId: album, target: byNameId('MusicGenre', 'Pop'), kind: 'musicgenre' },
    ]);
    expect(plan.containers.find((c) => c.kind === 'album')!.row).toMatchObject({ is_folder: 1, album_artist: 'Singer' });
  });

  it('gives a photo neither duration nor bitrate, and a person is no folder', () => {
    const photo = planFile(file('/pics/a.jpg', { type: 'Photo', name: 'a' }), 1);
    expect(photo.row).toMatchObject({ media_type: 'Photo', run_time_ticks: null, bitrate: null, parent_id: viewId('photos') });
    const movie = planFile(
      file('/m/X (2000).mkv', { type: 'Movie', name: 'X', year: 2000 }, { probe: probe({ tags: { director: 'D' } }) }),
      1,
    );
    expect(movie.row.production_year).toBe(2000);
    expect(movie.containers.find((c) => c.row.type === 'Person')!.row.is_folder).toBe(0);
  });

  it('numbers sidecar subtitles after the embedded streams and keeps their paths server-side only', () => {
    const sidecars = [
      {
        fileName: 'x.en.srt',
        path: '/m/x.en.srt',
        codec: 'srt',
        language: 'eng',
        isDefault: false,
        isForced: false,
        isHearingImpaired: false,
      },
    ];
    const plan = planFile(file('/m/x.mkv', { type: 'Movie', name: 'x' }, { sidecars }), 1);
    const streams = JSON.parse(plan.row.media_streams);
    expect(streams[1]).toMatchObject({ Index: 1, IsExternal: true, Path: 'x.en.srt' });
    expect(JSON.parse(plan.row.extra).externalSubtitlePaths).toEqual({ 1: '/m/x.en.srt' });
  });
});
