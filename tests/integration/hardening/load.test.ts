import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LibraryRows } from '../../helpers/libraryRows.js';
import { viewId } from '../../../src/server/library/libraryWriter.js';
import { expandJob } from '../../../src/server/sync/expansion.js';
import { SqlSyncLibrary } from '../../../src/server/sync/sqlSyncLibrary.js';
import { latestItemIds } from '../../../src/server/library/categories.js';
import { startSyncFixture, type SyncFixture } from '../sync/fixture.js';

/**
 * Load on loopback, sized for CI: a 20 000-item library, 200 concurrent clients polling Items/Ready and
 * item lists while 10 downloads run. Latencies are printed (measured, not asserted); errors must be 0 and
 * memory must stay bounded.
 */
let f: SyncFixture;
const ITEMS = 20_000;

beforeAll(async () => {
  f = await startSyncFixture();
  const db = f.server.built.deps.db;
  const rows = new LibraryRows(db);
  const movies = viewId('movies');
  db.transaction(() => {
    for (let i = 0; i < ITEMS; i++) {
      rows.item({
        type: 'Movie',
        name: `Generated Movie ${String(i).padStart(5, '0')}`,
        parentId: movies,
        topParentId: movies,
        path: `/nonexistent/generated-${i}.mp4`,
        mediaType: 'Video',
        container: 'mp4',
        size: 1_000_000,
        runTimeTicks: 600_000_000,
        mediaStreams: [],
      });
    }
  })();
}, 120_000);
afterAll(() => f.server.close());

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

describe('load', () => {
  it('expands a 20 000-item Latest category (time printed; the bench tracks it)', () => {
    const deps = f.server.built.deps;
    const lib = new SqlSyncLibrary(deps.db, {
      latest: (userId, parentId) => latestItemIds(deps.items, { userId, parentId }),
      resume: () => [],
      nextUp: () => [],
    });
    const t = performance.now();
    const items = expandJob(lib, {
      userId: f.admin.userId,
      category: 'Latest',
      parentId: null,
      requestedItemIds: [],
      unwatchedOnly: false,
    });
    const ms = performance.now() - t;
    console.log(`expansion of Latest over ${items.length} items: ${ms.toFixed(1)} ms`);
    expect(items.length).toBeGreaterThanOrEqual(ITEMS);
  });

  it('200 clients polling Items/Ready and item lists while 10 downloads run: 0 errors, bounded memory', async () => {
    const direct = await f.admin.json('POST', '/Sync/Jobs', {
      TargetId: 'admin-phone',
      ItemIds: f.ids['Direct Movie'],
      Quality: 'original',
    });
    // A SyncNewContent category job over the whole library, capped so the device gets 50 items.
    const job = await f.admin.json('POST', '/Sync/Jobs', {
      TargetId: 'admin-phone',
      Category: 'Latest',
      ItemLimit: 50,
      Quality: 'original',
    });
    expect(job.JobItems).toHaveLength(50);
    const fileUrl = `/Sync/JobItems/${direct.JobItems[0].Id}/File`;
    const views = await f.admin.json('GET', `/Users/${f.admin.userId}/Views`);
    const movies = views.Items.find((v: any) => v.CollectionType === 'movies').Id;

    const rssBefore = process.memoryUsage().rss;
    const latencies: number[] = [];
    let errors = 0;
    let downloads = 0;
    const until = Date.now() + 5_000;
    const headers = { 'X-Emby-Token': f.admin.token };
    const poller = async (n: number) => {
      while (Date.now() < until) {
        const url =
          n % 2 === 0
            ? `${f.server.url}/Sync/Items/Ready?TargetId=admin-phone`
            : `${f.server.url}/Users/${f.admin.userId}/Items?ParentId=${movies}&SortBy=SortName&StartIndex=${(n * 37) % 19_000}&Limit=50&Fields=PrimaryImageAspectRatio,BasicSyncInfo`;
        const t = performance.now();
        try {
          const res = await fetch(url, { headers });
          await res.arrayBuffer();
          if (res.status !== 200) errors++;
        } catch {
          errors++;
        }
        latencies.push(performance.now() - t);
      }
    };
    const downloader = async () => {
      while (Date.now() < until) {
        try {
          const res = await fetch(`${f.server.url}${fileUrl}`, { headers });
          await res.arrayBuffer();
          if (res.status !== 200) errors++;
          else downloads++;
        } catch {
          errors++;
        }
      }
    };
    await Promise.all([...Array.from({ length: 200 }, (_, i) => poller(i)), ...Array.from({ length: 10 }, downloader)]);
    const sorted = latencies.sort((a, b) => a - b);
    const rssAfter = process.memoryUsage().rss;
    console.log(
      `load: ${sorted.length} requests in 5 s, p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms, ` +
        `${downloads} downloads, errors ${errors}, RSS ${(rssBefore / 2 ** 20).toFixed(0)} → ${(rssAfter / 2 ** 20).toFixed(0)} MiB`,
    );
    expect(errors).toBe(0);
    expect(sorted.length).toBeGreaterThan(200);
    // The server runs in this process: a leak of response buffers would show as hundreds of MiB.
    expect(rssAfter - rssBefore).toBeLessThan(512 * 2 ** 20);
  }, 120_000);
});
