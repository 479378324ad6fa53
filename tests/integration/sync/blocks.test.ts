/**
 * GET /Sync/JobItems/{id}/Blocks: per-block SHA-256 of exactly the bytes /File serves, for converted
 * outputs (precomputed in the conversion's hashing pass) and originals served from the library (computed
 * on first request and kept), at the default and at other block sizes, with bad sizes refused and other
 * users kept out.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, type Session } from '../../helpers/server.js';
import { startSyncFixture, type SyncFixture } from './fixture.js';

let f: SyncFixture;
let other: Session;
beforeAll(async () => {
  f = await startSyncFixture();
  other = await createUser(f.server.url, f.admin, 'other');
});
afterAll(() => f.server.close());

// One active job item per library item and device: each item's job is created once and shared by the tests.
const ready = new Map<string, Promise<any>>();
function readyItem(s: Session, name: string): Promise<any> {
  if (!ready.has(name)) ready.set(name, createReady(s, name));
  return ready.get(name)!;
}

async function createReady(s: Session, name: string): Promise<any> {
  const res = await s.json('POST', '/Sync/Jobs', { TargetId: s.deviceId, ItemIds: f.ids[name], Quality: 'high' });
  const end = Date.now() + 30_000;
  for (;;) {
    const item = (await s.json('GET', `/Sync/JobItems?JobId=${res.Job.Id}`)).Items[0];
    if (item.Status === 'ReadyToTransfer') return item;
    if (item.Status === 'Failed' || Date.now() > end) throw new Error(`item is ${item.Status}: ${item.ErrorMessage}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function digestsOf(bytes: Buffer, blockSize: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < bytes.length; i += blockSize)
    out.push(
      createHash('sha256')
        .update(bytes.subarray(i, i + blockSize))
        .digest('hex'),
    );
  return out;
}

async function served(s: Session, jobItemId: string): Promise<{ bytes: Buffer; etag: string | null }> {
  const res = await s.req('GET', `/Sync/JobItems/${jobItemId}/File`);
  expect(res.status).toBe(200);
  return { bytes: Buffer.from(await res.arrayBuffer()), etag: res.headers.get('etag') };
}

function outputDirOf(jobItemId: string): string {
  const row = f.server.built.deps.db.prepare('SELECT output_key AS key FROM sync_job_items WHERE id = ?').get(jobItemId) as { key: string };
  return path.join(f.server.dataDir, 'sync', row.key);
}

describe('GET /Sync/JobItems/{id}/Blocks', () => {
  it('gives the 4 MiB block digests of a converted output from the list written during conversion', async () => {
    const item = await readyItem(f.admin, 'Remux Movie');
    // Written by the conversion itself, before anyone asked.
    const list = path.join(outputDirOf(item.Id), 'blocks-4194304.sha256');
    expect(fs.existsSync(list)).toBe(true);
    const { bytes, etag } = await served(f.admin, item.Id);
    const blocks = await f.admin.json('GET', `/Sync/JobItems/${item.Id}/Blocks`);
    expect(blocks).toEqual({ Size: item.Size, BlockSize: 4194304, ETag: etag, Blocks: digestsOf(bytes, 4194304) });
    // The list on disk is what was served: corrupt it the way a stale list would look and it is not trusted.
    fs.writeFileSync(list, Buffer.alloc(7));
    expect((await f.admin.json('GET', `/Sync/JobItems/${item.Id}/Blocks`)).Blocks).toEqual(digestsOf(bytes, 4194304));
  });

  it('computes other block sizes on first request and keeps them next to the output', async () => {
    const item = await readyItem(f.admin, 'Remux Movie');
    const { bytes } = await served(f.admin, item.Id);
    const size = 64 * 1024;
    const expected = digestsOf(bytes, size);
    expect(expected.length).toBeGreaterThan(2);
    const [a, b] = await Promise.all([
      f.admin.json('GET', `/Sync/JobItems/${item.Id}/Blocks?BlockSize=${size}`),
      f.admin.json('GET', `/Sync/JobItems/${item.Id}/Blocks?BlockSize=${size}`),
    ]);
    expect(a.Blocks).toEqual(expected);
    expect(b.Blocks).toEqual(expected);
    expect(fs.readFileSync(path.join(outputDirOf(item.Id), `blocks-${size}.sha256`)).length).toBe(expected.length * 32);
  });

  it('covers an original served straight from the library', async () => {
    const item = await readyItem(f.admin, 'Direct Movie');
    const { bytes, etag } = await served(f.admin, item.Id);
    const blocks = await f.admin.json('GET', `/Sync/JobItems/${item.Id}/Blocks?BlockSize=65536`);
    expect(blocks).toMatchObject({ Size: bytes.length, BlockSize: 65536, ETag: etag });
    expect(blocks.Blocks).toEqual(digestsOf(bytes, 65536));
    // Kept for the next request, and the next start of the server.
    const kept = fs.readdirSync(path.join(f.server.dataDir, 'cache', 'block-digests'));
    expect(kept).toEqual([expect.stringMatching(/^[0-9a-f]{32}-blocks-65536\.sha256$/)]);
  });

  it.each(['1000', '0', String(64 * 1024 + 1), String(128 * 1024 * 1024), 'abc', '-65536'])(
    'refuses BlockSize=%s with a 400',
    async (value) => {
      const item = await readyItem(f.admin, 'Remux Movie');
      const res = await f.admin.req('GET', `/Sync/JobItems/${item.Id}/Blocks?BlockSize=${value}`);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: expect.any(String), message: expect.any(String) });
    },
  );

  it('shows another user nothing of someone else’s item', async () => {
    const item = await readyItem(f.admin, 'Remux Movie');
    const res = await other.req('GET', `/Sync/JobItems/${item.Id}/Blocks`);
    expect([403, 404]).toContain(res.status);
    expect(await res.text()).not.toMatch(/[0-9a-f]{64}/);
  });
});
