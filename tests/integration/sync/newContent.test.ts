import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeClip } from '../../helpers/media.js';
import { startSyncFixture, type SyncFixture } from './fixture.js';

let f: SyncFixture;
beforeAll(async () => {
  f = await startSyncFixture();
});
afterAll(() => f.server.close());

const T = 'admin-phone';
const items = async (jobId: string) => (await f.admin.json('GET', `/Sync/JobItems?JobId=${jobId}`)).Items as any[];

describe('new content and library changes', () => {
  it('a library change adds a new episode to a SyncNewContent series job at once', async () => {
    const job = await f.admin.json('POST', '/Sync/Jobs', { TargetId: T, ItemIds: f.ids['Test Show'] });
    expect(job.Job.SyncNewContent).toBe(true);
    expect(job.JobItems).toHaveLength(3);
    await makeClip(path.join(f.media, 'Shows', 'Test Show', 'Season 01'), 'Test Show - S01E04 - Fourth.mp4', { seconds: 1 });
    await f.server.built.deps.library.scanner.scan();
    const after = await items(job.Job.Id);
    expect(after.map((i) => i.ItemName)).toEqual(['S1, E1 - Pilot', 'S1, E2 - Second', 'S1, E3 - Third', 'S1, E4 - Fourth']);
    expect(after[3]).toMatchObject({ Status: 'ReadyToTransfer', JobItemIndex: 3 });
    await f.admin.req('DELETE', `/Sync/Jobs/${job.Job.Id}`);
  });

  it('a job without SyncNewContent does not grow', async () => {
    const job = await f.admin.json('POST', '/Sync/Jobs', { TargetId: T, ItemIds: f.ids['Test Show'], SyncNewContent: false });
    const before = (await items(job.Job.Id)).length;
    await makeClip(path.join(f.media, 'Shows', 'Test Show', 'Season 01'), 'Test Show - S01E05 - Fifth.mp4', { seconds: 1 });
    await f.server.built.deps.library.scanner.scan();
    expect((await items(job.Job.Id)).length).toBe(before);
    // Items/Ready refreshes SyncNewContent jobs only.
    await f.admin.json('GET', `/Sync/Items/Ready?TargetId=${T}`);
    expect((await items(job.Job.Id)).length).toBe(before);
    await f.admin.req('DELETE', `/Sync/Jobs/${job.Job.Id}`);
  });

  it('an item deleted from the library while its job runs is removed from the device, the job goes on', async () => {
    const extra = await makeClip(path.join(f.media, 'Movies'), 'Short Lived (2022).mp4', { seconds: 1 });
    await f.server.built.deps.library.scanner.scan();
    const id = (f.server.built.deps.db.prepare(`SELECT id FROM items WHERE name = 'Short Lived'`).get() as { id: string }).id;
    const job = await f.admin.json('POST', '/Sync/Jobs', { TargetId: T, ItemIds: [id, f.ids['Direct Movie']] });
    for (const ji of job.JobItems) {
      await f.admin.req('GET', `/Sync/JobItems/${ji.Id}/File`).then((r) => r.arrayBuffer());
      await f.admin.req('POST', `/Sync/JobItems/${ji.Id}/Transferred`);
    }
    fs.rmSync(extra);
    await f.server.built.deps.library.scanner.scan();
    const res = await f.admin.json('POST', '/Sync/Data', { TargetId: T, LocalItemIds: [id, f.ids['Direct Movie']] });
    expect(res.ItemIdsToRemove).toEqual([id]);
    expect(Object.keys(res.ItemUserAccess)).toEqual([f.ids['Direct Movie']]);
    await f.admin.json('POST', '/Sync/Data', { TargetId: T, LocalItemIds: [f.ids['Direct Movie']] });
    const after = await items(job.Job.Id);
    expect(after.map((i) => i.Status)).toEqual(['RemovedFromDevice', 'Synced']);
    await f.admin.req('DELETE', `/Sync/Jobs/${job.Job.Id}`);
  });

  it('an item not yet on the device whose library item vanished fails at once, and the rest still syncs', async () => {
    const extra = await makeClip(path.join(f.media, 'Movies'), 'Gone Soon (2023).mp4', { seconds: 1 });
    await f.server.built.deps.library.scanner.scan();
    const id = (f.server.built.deps.db.prepare(`SELECT id FROM items WHERE name = 'Gone Soon'`).get() as { id: string }).id;
    // Stop the engine from finishing it first: create the job, then delete before anyone processes again.
    const job = await f.admin.json('POST', '/Sync/Jobs', { TargetId: T, ItemIds: [f.ids['Direct Movie'], id] });
    const ji = job.JobItems.find((i: any) => i.ItemId === id);
    f.server.built.deps.db.prepare(`UPDATE sync_job_items SET status = 'Queued' WHERE id = ?`).run(ji.Id);
    fs.rmSync(extra);
    await f.server.built.deps.library.scanner.scan();
    const after = await items(job.Job.Id);
    const gone = after.find((i) => i.ItemId === id);
    expect(gone.Status).toBe('Failed');
    expect(gone.ErrorMessage).toMatch(/no longer in the library/);
    expect(after.find((i) => i.ItemId === f.ids['Direct Movie']).Status).toBe('ReadyToTransfer');
    expect((await f.admin.json('GET', `/Sync/Jobs/${job.Job.Id}`)).Status).toBe('Queued');
    await f.admin.req('DELETE', `/Sync/Jobs/${job.Job.Id}`);
  });

  it('two simultaneous creations for the same selection and target make one active item', async () => {
    const body = { TargetId: T, ItemIds: f.ids['Remux Movie'] };
    const [a, b] = await Promise.all([f.admin.json('POST', '/Sync/Jobs', body), f.admin.json('POST', '/Sync/Jobs', body)]);
    const statuses = [a.JobItems[0].Status, b.JobItems[0].Status];
    expect(statuses.filter((s) => s === 'Cancelled')).toHaveLength(1);
    const active = f.server.built.deps.db
      .prepare(
        `SELECT COUNT(*) AS n FROM sync_job_items WHERE item_id = ? AND target_id = ? AND status NOT IN ('Cancelled','Failed','RemovedFromDevice')`,
      )
      .get(f.ids['Remux Movie'], T) as { n: number };
    expect(active.n).toBe(1);
    await f.admin.req('DELETE', `/Sync/Jobs/${a.Job.Id}`);
    await f.admin.req('DELETE', `/Sync/Jobs/${b.Job.Id}`);
  });

  it('reports folder sync state as the mean over its items on the device', async () => {
    const job = await f.admin.json('POST', '/Sync/Jobs', { TargetId: T, ItemIds: [f.ids['Pilot'], f.ids['Second']] });
    const first = job.JobItems[0];
    await f.admin.req('GET', `/Sync/JobItems/${first.Id}/File`).then((r) => r.arrayBuffer());
    await f.admin.req('POST', `/Sync/JobItems/${first.Id}/Transferred`);
    const series = await f.admin.json('GET', `/Users/${f.admin.userId}/Items/${f.ids['Test Show']}?Fields=SyncInfo`);
    // One Synced (100) and one not yet (50).
    expect(series).toMatchObject({ HasSyncJob: true, SyncPercent: 75, IsSynced: false });
    await f.admin.req('DELETE', `/Sync/Jobs/${job.Job.Id}`);
  });
});
