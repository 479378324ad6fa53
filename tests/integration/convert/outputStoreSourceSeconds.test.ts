import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { OutputStore } from '../../../src/server/convert/outputStore.js';
import { aRemuxPlan, tempDir, testDb } from '../../helpers/convertMedia.js';

describe('OutputStore: the source duration travels to the runner', () => {
  it('gives the runner the scanned duration (so it does not probe the source again), and keeps the first one known', () => {
    const dir = tempDir();
    const store = new OutputStore(testDb(dir), path.join(dir, 'sync'));
    const plan = aRemuxPlan();
    const key = store.contentKey({ path: '/m/a.mkv', size: 1, mtimeMs: 1 }, plan);
    const base = { key, itemId: 'i1', sourcePath: '/m/a.mkv', plan, priority: 3, ownerUserId: 'u1' };

    store.ensure(base);
    expect(store.jobFor(store.get(key)!).durationSeconds).toBeUndefined();
    // A later job item for the same output knows the duration: it is filled in, not lost.
    store.ensure({ ...base, sourceSeconds: 5.04 });
    expect(store.jobFor(store.get(key)!).durationSeconds).toBe(5.04);
    store.ensure({ ...base, sourceSeconds: 99 });
    expect(store.jobFor(store.get(key)!).durationSeconds).toBe(5.04);
    // An explicit duration (a caller that probed) wins.
    expect(store.jobFor(store.get(key)!, 7).durationSeconds).toBe(7);
    // Zero or negative is "unknown".
    const other = store.contentKey({ path: '/m/b.mkv', size: 1, mtimeMs: 1 }, plan);
    store.ensure({ ...base, key: other, sourcePath: '/m/b.mkv', sourceSeconds: 0 });
    expect(store.jobFor(store.get(other)!).durationSeconds).toBeUndefined();
  });
});
