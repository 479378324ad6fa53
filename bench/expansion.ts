/**
 * Job expansion of a 20 000-item category: `expandJob` through the SQL library port (what POST /Sync/Jobs
 * and every refresh run), for Latest over the whole library and for one 20 000-episode series. Baseline: a
 * plain `SELECT id` of the same rows, so the ratio is the cost of visibility rules, ordering, row mapping
 * and de-duplication over reading the ids at all. Target < 200 ms.
 */
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase, type Db } from '../src/server/db/connection.js';
import { latestItemIds } from '../src/server/library/categories.js';
import { ItemsRepo } from '../src/server/library/itemsRepo.js';
import { expandJob, type ExpandableJob } from '../src/server/sync/expansion.js';
import { SqlSyncLibrary } from '../src/server/sync/sqlSyncLibrary.js';
import { benchTempDir } from './harness.js';
import { median, ratioOf, type BenchResult } from './report.js';

const EPISODES = 20_000;
const RUNS = 7;
const USER = 'bench-user';

/** A TV view, one series, one season and 20 000 episodes, in one transaction, shaped like the scanner's rows. */
function seed(db: Db): { seriesId: string } {
  const insert = db.prepare(
    `INSERT INTO items (id, type, name, sort_name, parent_id, top_parent_id, path, is_folder, media_type, collection_type,
       container, size, mtime_ms, run_time_ticks, date_created, date_modified, index_number, parent_index_number,
       series_id, series_name, season_id, season_name, media_streams)
     VALUES (@id, @type, @name, @name, @parent, @top, @path, @folder, @media, @collection, @container, @size, 1, @ticks,
       @created, @created, @index, @season, @series, @seriesName, @seasonId, @seasonName, @streams)`,
  );
  const base = {
    parent: null,
    top: null,
    path: null,
    folder: 1,
    media: null,
    collection: null,
    container: null,
    size: null,
    ticks: null,
    index: null,
    season: null,
    series: null,
    seriesName: null,
    seasonId: null,
    seasonName: null,
    streams: '[]',
  };
  const t0 = Date.parse('2020-01-01T00:00:00Z');
  const streams = JSON.stringify([
    { Type: 'Video', Index: 0, Codec: 'h264', Width: 1280, Height: 720 },
    { Type: 'Audio', Index: 1, Codec: 'aac', Channels: 2, IsDefault: true },
  ]);
  db.transaction(() => {
    insert.run({ ...base, id: 'view', type: 'CollectionFolder', name: 'TV', collection: 'tvshows', created: new Date(t0).toISOString() });
    insert.run({
      ...base,
      id: 'series',
      type: 'Series',
      name: 'Long Show',
      parent: 'view',
      top: 'view',
      path: '/media/tv/Long Show',
      created: new Date(t0).toISOString(),
    });
    insert.run({
      ...base,
      id: 'season',
      type: 'Season',
      name: 'Season 1',
      parent: 'series',
      top: 'view',
      series: 'series',
      seriesName: 'Long Show',
      season: 1,
      index: 1,
      created: new Date(t0).toISOString(),
    });
    for (let i = 1; i <= EPISODES; i++) {
      insert.run({
        ...base,
        id: `ep${String(i).padStart(6, '0')}`,
        type: 'Episode',
        name: `Episode ${i}`,
        parent: 'season',
        top: 'view',
        path: `/media/tv/Long Show/Season 01/Long Show - S01E${i}.mp4`,
        folder: 0,
        media: 'Video',
        container: 'mp4',
        size: 100_000_000 + i,
        ticks: 22 * 60 * 10_000_000,
        created: new Date(t0 + i * 60_000).toISOString(),
        index: i,
        season: 1,
        series: 'series',
        seriesName: 'Long Show',
        seasonId: 'season',
        seasonName: 'Season 1',
        streams,
      });
    }
  })();
  return { seriesId: 'series' };
}

function timeRuns(fn: () => number, expected: number): { ms: number; all: number[] } {
  fn(); // warm: statement cache, page cache
  const all: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    const n = fn();
    all.push(performance.now() - started);
    if (n !== expected) throw new Error(`expected ${expected} rows, got ${n}`);
  }
  return { ms: median(all), all };
}

export async function runExpansionBench(): Promise<BenchResult[]> {
  const dir = benchTempDir('expansion');
  const db = openDatabase(path.join(dir, 'bench.db'));
  try {
    const { seriesId } = seed(db);
    const items = new ItemsRepo(db);
    const none = () => [];
    const lib = new SqlSyncLibrary(db, {
      latest: (userId, parentId) => latestItemIds(items, { userId, parentId }),
      resume: none,
      nextUp: none,
    });
    const job = (over: Partial<ExpandableJob>): ExpandableJob => ({
      userId: USER,
      category: null,
      parentId: null,
      requestedItemIds: [],
      unwatchedOnly: false,
      ...over,
    });

    const plain = db.prepare('SELECT id FROM items WHERE is_folder = 0');
    const baseline = timeRuns(() => plain.all().length, EPISODES);
    const cases: Array<[string, ExpandableJob]> = [
      ['Latest, whole library', job({ category: 'Latest' })],
      ['a 20 000-episode series', job({ requestedItemIds: [seriesId] })],
      ['the series, UnwatchedOnly', job({ requestedItemIds: [seriesId], unwatchedOnly: true })],
    ];
    return cases.map(([label, j]) => {
      const t = timeRuns(() => expandJob(lib, j).length, EPISODES);
      return {
        name: `expansion: ${label} (20 000 items)`,
        value: Math.round(t.ms * 10) / 10,
        unit: 'ms',
        baseline: Math.round(baseline.ms * 10) / 10,
        ratio: ratioOf(t.ms, baseline.ms),
        target: '< 200 ms',
        met: t.ms < 200,
        note: `median of ${RUNS}; baseline SELECT id of the same rows`,
      };
    });
  } finally {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
