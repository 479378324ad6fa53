/**
 * Library queries on a 22 000-item library through the items repository, as the browse routes run them:
 * a page of series with their played state, a search over every episode, movies of a genre by date,
 * the genre list with counts, Next Up and a page's folder counts. Baseline: a plain `SELECT *` page of the
 * same size, so the ratio is the cost of visibility, filters, sorting and the query builder. Target < 50 ms
 * a query (a page must feel instant).
 */
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase, type Db } from '../src/server/db/connection.js';
import { ItemsRepo, type ItemQuery } from '../src/server/library/itemsRepo.js';
import { benchTempDir } from './harness.js';
import { median, ratioOf, type BenchResult } from './report.js';

const SERIES = 200;
const EPISODES_PER_SERIES = 100;
const MOVIES = 2000;
const GENRES = 20;
const RUNS = 15;
const USER = 'bench-user';

/** Two views, 200 series × 100 episodes, 2 000 movies linked to 20 genres, a user who watched some of it. */
export function seedItemLibrary(db: Db): { tv: string; genre: string } {
  const insert = db.prepare(
    `INSERT INTO items (id, type, name, sort_name, parent_id, top_parent_id, path, is_folder, media_type, container, size,
       mtime_ms, run_time_ticks, date_created, date_modified, index_number, parent_index_number, series_id, series_name,
       season_id, media_streams)
     VALUES (@id, @type, @name, @name, @parent, @top, @path, @folder, @media, 'mp4', 1000, 1, @ticks, @created, @created,
       @index, @season, @series, @seriesName, @seasonId, '[]')`,
  );
  const link = db.prepare(`INSERT INTO item_links (item_id, target_id, kind, position) VALUES (?, ?, 'genre', 0)`);
  const played = db.prepare(`INSERT INTO user_data (user_id, item_id, played, play_count, last_played_date) VALUES (?, ?, 1, 1, ?)`);
  const t0 = Date.parse('2020-01-01T00:00:00Z');
  const at = (i: number) => new Date(t0 + i * 60_000).toISOString();
  const base = { parent: null, top: null, path: null, folder: 1, media: null, ticks: null, index: null, season: null, series: null };
  const folder = { ...base, seriesName: null, seasonId: null };
  db.transaction(() => {
    db.prepare(`INSERT INTO users (id, name, policy, configuration, date_created) VALUES (?, 'bench', '{}', '{}', ?)`).run(USER, at(0));
    for (const [id, name] of [
      ['tv', 'TV'],
      ['movies', 'Movies'],
    ]) {
      insert.run({ ...folder, id, type: 'CollectionFolder', name, created: at(0) });
    }
    for (let g = 0; g < GENRES; g++) insert.run({ ...folder, id: `genre${g}`, type: 'Genre', name: `Genre ${g}`, created: at(0) });
    for (let m = 0; m < MOVIES; m++) {
      const id = `movie${m}`;
      const file = { path: `/media/movies/Movie ${m}.mp4`, folder: 0, media: 'Video', ticks: 6e10 };
      insert.run({ ...folder, ...file, id, type: 'Movie', name: `Movie ${m}`, parent: 'movies', top: 'movies', created: at(m) });
      link.run(id, `genre${m % GENRES}`);
    }
    for (let s = 0; s < SERIES; s++) {
      const series = `series${s}`;
      const seriesName = `Show ${String(s).padStart(3, '0')}`;
      insert.run({ ...folder, id: series, type: 'Series', name: seriesName, parent: 'tv', top: 'tv', created: at(s) });
      const season = `season${s}`;
      insert.run({
        ...folder,
        id: season,
        type: 'Season',
        name: 'Season 1',
        parent: series,
        top: 'tv',
        series,
        seriesName,
        created: at(s),
      });
      for (let e = 1; e <= EPISODES_PER_SERIES; e++) {
        const id = `ep${s}_${e}`;
        const file = { path: `/media/tv/${seriesName}/S01E${e}.mp4`, folder: 0, media: 'Video', ticks: 1.3e10 };
        insert.run({
          ...base,
          ...file,
          id,
          type: 'Episode',
          name: `Episode ${e}`,
          parent: season,
          top: 'tv',
          index: e,
          season: 1,
          series,
          seriesName,
          seasonId: season,
          created: at(s * EPISODES_PER_SERIES + e),
        });
        // The user is a few episodes into every tenth series.
        if (s % 10 === 0 && e <= 3) played.run(USER, id, at(s * 10 + e));
      }
    }
  })();
  return { tv: 'tv', genre: 'genre3' };
}

function time(fn: () => number): { ms: number; n: number } {
  const n = fn(); // warm: statement cache, page cache
  const all: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    fn();
    all.push(performance.now() - started);
  }
  return { ms: median(all), n };
}

export async function runItemQueriesBench(): Promise<BenchResult[]> {
  const dir = benchTempDir('items');
  const db = openDatabase(path.join(dir, 'bench.db'));
  try {
    const { tv, genre } = seedItemLibrary(db);
    db.exec('ANALYZE');
    const items = new ItemsRepo(db);
    const q = (over: Omit<ItemQuery, 'userId'>): ItemQuery => ({ userId: USER, limit: 100, ...over });
    const plain = db.prepare(`SELECT * FROM items WHERE type = 'Series' ORDER BY sort_name LIMIT 100`);
    const baseline = time(() => plain.all().length);
    const seriesPage = items.query(q({ parentId: tv })).rows;
    const cases: Array<[string, () => number]> = [
      ['a page of series, sorted', () => items.query(q({ parentId: tv })).rows.length],
      ['unplayed series (played state of 20 000 episodes)', () => items.query(q({ parentId: tv, isPlayed: false })).rows.length],
      [
        'search every episode',
        () => items.query(q({ recursive: true, searchTerm: 'episode 5', includeItemTypes: ['Episode'] })).rows.length,
      ],
      [
        'movies of a genre, newest first',
        () => items.query(q({ recursive: true, genreIds: [genre], sortBy: ['DateCreated'], sortOrder: ['Descending'] })).rows.length,
      ],
      ['genres with counts', () => items.itemsByName({ ...q({}), byNameType: 'Genre', linkKinds: ['genre'] }).rows.length],
      ['next up', () => items.nextUp({ userId: USER, limit: 100 }).rows.length],
      ['folder counts of a page of series', () => items.folderStats(USER, seriesPage).size],
    ];
    return cases.map(([label, fn]) => {
      const t = time(fn);
      if (t.n === 0) throw new Error(`${label}: no rows`);
      return {
        name: `items: ${label}`,
        value: Math.round(t.ms * 100) / 100,
        unit: 'ms',
        baseline: Math.round(baseline.ms * 100) / 100,
        ratio: ratioOf(t.ms, baseline.ms),
        target: '< 50 ms',
        met: t.ms < 50,
        note: `median of ${RUNS}; ${t.n} rows; baseline a plain SELECT * page of 100`,
      };
    });
  } finally {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
