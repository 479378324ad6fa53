/** The small library the item tests share: movies with metadata, one series, one album. */
import { ensureAdministrator } from '../../../src/server/system/firstRun.js';
import { LibraryRows, MINUTE_TICKS } from '../../helpers/libraryRows.js';
import { createUser, signIn, startTestServer, type Session, type TestServer } from '../../helpers/server.js';

export interface TestLibrary {
  server: TestServer;
  admin: Session;
  rows: LibraryRows;
  views: { movies: string; tv: string; music: string; empty: string };
  movies: { amelie: string; matrix: string; alien: string; zodiac: string; brazil: string };
  show: {
    series: string;
    specials: string;
    s1: string;
    s2: string;
    s1e1: string;
    s1e2: string;
    s1e3: string;
    s2e1: string;
    s2e2: string;
    sp1: string;
  };
  music: { album: string; t1: string; t2: string; t3: string };
}

export async function startLibrary(): Promise<TestLibrary> {
  const server = await startTestServer({ adminUser: 'root', adminPassword: 'secret' });
  await ensureAdministrator(server.built.deps);
  const admin = await signIn(server.url, 'root', 'secret', 'admin-device');
  const rows = new LibraryRows(server.built.deps.db);

  const movies = rows.view('movies', 'Movies');
  const tv = rows.view('tvshows', 'TV Shows');
  const music = rows.view('music', 'Music');
  const empty = rows.view('photos', 'Photos');

  const amelie = rows.movie(movies, 'Amélie', {
    productionYear: 2001,
    overview: 'A shy waitress.',
    imageTag: 'tag-amelie',
    mediaStreams: [
      { Type: 'Video', Index: 0, Codec: 'h264', Width: 1920, Height: 1080, IsDefault: true, IsForced: false, IsExternal: false },
      { Type: 'Audio', Index: 1, Codec: 'aac', Channels: 2, IsDefault: true, IsForced: false, IsExternal: false },
      {
        Type: 'Subtitle',
        Index: 2,
        Codec: 'srt',
        IsDefault: false,
        IsForced: false,
        IsExternal: true,
        Path: '/media/movies/Amélie.fr.srt',
      },
    ],
    extra: { externalSubtitlePaths: { '2': '/media/movies/Amélie.fr.srt' } },
  });
  rows.genre(amelie, 'Comedy');
  rows.genre(amelie, 'Romance');
  rows.link(amelie, rows.byName('Person', 'Audrey'), 'person', 'Actor');
  rows.link(amelie, rows.byName('Person', 'Jean-Pierre'), 'person', 'Director');
  rows.link(amelie, rows.byName('Studio', 'Canal'), 'studio');
  const matrix = rows.movie(movies, 'The Matrix', { productionYear: 1999 });
  rows.genre(matrix, 'Action');
  rows.genre(matrix, 'Sci-Fi');
  const alien = rows.movie(movies, 'Alien', { productionYear: 1979 });
  rows.genre(alien, 'Sci-Fi');
  rows.genre(alien, 'Horror');
  const zodiac = rows.movie(movies, 'Zodiac', { productionYear: 2007 });
  rows.genre(zodiac, 'Crime');
  const brazil = rows.movie(movies, 'Brazil', { productionYear: 1985, runTimeTicks: 130 * MINUTE_TICKS });
  rows.genre(brazil, 'Comedy');
  rows.genre(brazil, 'Sci-Fi');

  const series = rows.series(tv, 'Show', { imageTag: 'tag-show' });
  const s2 = rows.season(tv, series, 2);
  const s1 = rows.season(tv, series, 1);
  const specials = rows.season(tv, series, 0);
  const s2e2 = rows.episode(tv, series, s2, 2, 2);
  const s1e3 = rows.episode(tv, series, s1, 1, 3);
  const s1e1 = rows.episode(tv, series, s1, 1, 1);
  const s2e1 = rows.episode(tv, series, s2, 2, 1);
  const s1e2 = rows.episode(tv, series, s1, 1, 2);
  const sp1 = rows.episode(tv, series, specials, 0, 1);

  const album = rows.album(music, 'Album A', 'Artist X');
  const t2 = rows.track(music, album, 2, 'Second', 'Artist X');
  const t1 = rows.track(music, album, 1, 'First', 'Artist X');
  const t3 = rows.track(music, album, 3, 'Third', 'Artist X');

  return {
    server,
    admin,
    rows,
    views: { movies, tv, music, empty },
    movies: { amelie, matrix, alien, zodiac, brazil },
    show: { series, specials, s1, s2, s1e1, s1e2, s1e3, s2e1, s2e2, sp1 },
    music: { album, t1, t2, t3 },
  };
}

export { createUser, MINUTE_TICKS };

export const names = (r: { Items: Array<{ Name: string }> } | Array<{ Name: string }>) =>
  (Array.isArray(r) ? r : r.Items).map((i) => i.Name);
