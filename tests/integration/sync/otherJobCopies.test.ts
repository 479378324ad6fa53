/**
 * Issue 15 §4: items another job already syncs to the same device. The dialog is told beforehand how many
 * are there; a job's waiting items name the job that has them (the wire status stays Cancelled, as Emby's);
 * and no job reads Cancelled unless someone cancelled it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncJob, SyncJobCreationResult, SyncJobItem } from '../../../src/shared/api/sync.js';
import { startSyncFixture, type SyncFixture } from './fixture.js';

let f: SyncFixture;
beforeAll(async () => {
  f = await startSyncFixture();
});
afterAll(() => f.server.close());

const T = 'admin-phone';
const create = (ItemIds: string[], Name: string): Promise<SyncJobCreationResult> =>
  f.admin.json('POST', '/Sync/Jobs', { TargetId: T, ItemIds: ItemIds.join(','), Name });
const itemsOf = async (jobId: string): Promise<SyncJobItem[]> => (await f.admin.json('GET', `/Sync/JobItems?JobId=${jobId}`)).Items;

describe('items already on the device through another job', () => {
  let first: SyncJobCreationResult;

  beforeAll(async () => {
    first = await create([f.ids['Direct Movie']!, f.ids['Pilot']!], 'Weekend');
    // The film arrives on the device; the episode is still on its way.
    const film = first.JobItems.find((i) => i.ItemId === f.ids['Direct Movie'])!;
    await f.admin.req('GET', `/Sync/JobItems/${film.Id}/File`).then((r) => r.arrayBuffer());
    expect((await f.admin.req('POST', `/Sync/JobItems/${film.Id}/Transferred`)).status).toBe(204);
  });

  it('tells the dialog how much of a selection is there or on its way, and through which job', async () => {
    const ids = [f.ids['Direct Movie'], f.ids['Pilot'], f.ids['Second']].join(',');
    const opts = await f.admin.json('GET', `/Sync/Options?ItemIds=${ids}&TargetId=${T}`);
    expect(opts.AlreadyOnTarget).toEqual({ ItemCount: 3, OnTarget: 1, Coming: 1, Jobs: [{ Id: first.Job.Id, Name: 'Weekend' }] });
    const none = await f.admin.json('GET', `/Sync/Options?ItemIds=${f.ids['Third']}&TargetId=${T}`);
    expect(none.AlreadyOnTarget).toEqual({ ItemCount: 1, OnTarget: 0, Coming: 0, Jobs: [] });
  });

  it('names the job a waiting item goes through (Cancelled on the wire, as Emby has it) and keeps the job out of Cancelled', async () => {
    const second = await create([f.ids['Direct Movie']!, f.ids['Pilot']!, f.ids['Second']!], 'Commute');
    const byName = Object.fromEntries((await itemsOf(second.Job.Id)).map((i) => [i.ItemName, i]));
    expect(byName['Direct Movie']).toMatchObject({
      Status: 'Cancelled',
      ThroughJobId: first.Job.Id,
      ThroughJobName: 'Weekend',
      ThroughJobItemStatus: 'Synced',
    });
    expect(byName['S1, E1 - Pilot']).toMatchObject({
      Status: 'Cancelled',
      ThroughJobName: 'Weekend',
      ThroughJobItemStatus: 'ReadyToTransfer',
    });
    expect(byName['S1, E2 - Second']!.ThroughJobId).toBeUndefined();
    const job: SyncJob = await f.admin.json('GET', `/Sync/Jobs/${second.Job.Id}`);
    expect(job.Status).not.toBe('Cancelled');
    expect(job.SyncSummary).toMatchObject({ ThroughOtherJob: 2, Ready: 1, Cancelled: 0 });
    await f.admin.req('DELETE', `/Sync/Jobs/${second.Job.Id}`);
  });

  it('reads Completed, not Cancelled, when everything it asks for is already there through another job', async () => {
    const only = await create([f.ids['Direct Movie']!], 'Again');
    const job: SyncJob = await f.admin.json('GET', `/Sync/Jobs/${only.Job.Id}`);
    expect(job.Status).toBe('Completed');
    expect(job.SyncSummary).toMatchObject({ ThroughOtherJob: 1, Cancelled: 0 });
    await f.admin.req('DELETE', `/Sync/Jobs/${only.Job.Id}`);
  });

  it('says Cancelled, with no other job, for an item a person cancelled', async () => {
    const own = await create([f.ids['Third']!], 'Cancel me');
    const item = own.JobItems[0]!;
    expect((await f.admin.req('DELETE', `/Sync/JobItems/${item.Id}`)).status).toBe(204);
    const after = await itemsOf(own.Job.Id).catch(() => []);
    for (const i of after) expect(i.ThroughJobId).toBeUndefined();
    await f.admin.req('DELETE', `/Sync/Jobs/${own.Job.Id}`);
  });
});
