import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { OutputStore } from '../../../src/server/convert/outputStore.js';
import { aRemuxPlan, addJobItem, tempDir, testDb } from '../../helpers/convertMedia.js';

describe('OutputStore.cleanupOrphans', () => {
  it('leaves the partial file of a conversion that is running now (periodic cleanup beside the queue)', async () => {
    const dir = tempDir();
    const db = testDb(dir);
    const store = new OutputStore(db, path.join(dir, 'sync'));
    const key = store.contentKey({ path: '/m/a.mkv', size: 1, mtimeMs: 1 }, aRemuxPlan());
    store.ensure({ key, itemId: 'i1', sourcePath: '/m/a.mkv', plan: aRemuxPlan(), priority: 0, ownerUserId: 'u1' });
    addJobItem(db, key);
    store.markConverting(key);
    const outDir = path.join(dir, 'sync', key);
    fs.mkdirSync(outDir, { recursive: true });
    const partial = path.join(outDir, 'a.partial-1234.mp4');
    fs.writeFileSync(partial, 'being written');

    await store.cleanupOrphans({ resetConverting: false });
    expect(fs.existsSync(partial)).toBe(true);

    // At start-up nothing runs yet: the converting row goes back to queued and its partial file goes.
    await store.cleanupOrphans({ resetConverting: true });
    expect(fs.existsSync(partial)).toBe(false);
    expect(store.get(key)?.status).toBe('queued');
  });
});
