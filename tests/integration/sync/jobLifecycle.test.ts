/**
 * A job's life on the server, driven by hand as a client would (API.md §5, §7): create, Items/Ready, a
 * resumed download, Transferred, Sync/Data, cancel; the rolling window; duplicates and bad requests;
 * offline actions.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../helpers/server.js';
import { startSyncFixture, type SyncFixture } from './fixture.js';

let f: SyncFixture;
beforeAll(async () => {
  f = await startSyncFixture();
});
afterAll(() => f.server.close());

const T = 'admin-phone';

describe('a direct-play movie from job to device and back, by hand (the client loop of API.md §7)', () => {
  let jobId: string;
  let jobItemId: string;

  it('creates a job whose item is ReadyToTransfer at once (no conversion needed)', async () => {
    const result = await f.admin.json('POST', '/Sync/Jobs', { TargetId: T, ItemIds: f.ids['Direct Movie'], Quality: 'High' });
    expect(result.Job).toMatchObject({
      Name: 'Direct Movie',
      TargetId: T,
      Quality: 'high',
      SyncNewContent: false,
      Status: 'ReadyToTransfer',
    });
    expect(result.JobItems).toHaveLength(1);
    expect(result.JobItems[0]).toMatchObject({ Status: 'ReadyToTransfer', Progress: 50, ItemName: 'Direct Movie', JobItemIndex: 0 });
    expect(result.JobItems[0].OutputPath).toBe('Direct Movie (2020).mp4');
    expect(JSON.stringify(result)).not.toContain(f.media);
    jobId = result.Job.Id;
    jobItemId = result.JobItems[0].Id;
  });

  it('lists it in Items/Ready as a SyncedItem with the item and its media source', async () => {
    const ready = await f.admin.json('GET', `/Sync/Items/Ready?TargetId=${T}`);
    expect(ready).toHaveLength(1);
    expect(ready[0]).toMatchObject({ SyncJobId: jobId, SyncJobItemId: jobItemId, OriginalFileName: 'Direct Movie (2020).mp4' });
    expect(ready[0].Item.Id).toBe(f.ids['Direct Movie']);
    expect(ready[0].Item.MediaSources).toHaveLength(1);
    expect(ready[0].Item.MediaStreams).toBeUndefined();
    expect(ready[0].AdditionalFiles).toEqual([]);
  });

  it('downloads with Range resume: two parts equal the original bytes', async () => {
    const original = fs.readFileSync(path.join(f.media, 'Movies', 'Direct Movie (2020).mp4'));
    const first = await f.admin.req('GET', `/Sync/JobItems/${jobItemId}/File`, undefined, { Range: 'bytes=0-999' });
    expect(first.status).toBe(206);
    expect(first.headers.get('content-range')).toBe(`bytes 0-999/${original.length}`);
    const etag = first.headers.get('etag')!;
    const part1 = Buffer.from(await first.arrayBuffer());
    const rest = await f.admin.req('GET', `/Sync/JobItems/${jobItemId}/File`, undefined, { Range: 'bytes=1000-', 'If-Range': etag });
    expect(rest.status).toBe(206);
    const part2 = Buffer.from(await rest.arrayBuffer());
    expect(Buffer.concat([part1, part2]).equals(original)).toBe(true);
    const bad = await f.admin.req('GET', `/Sync/JobItems/${jobItemId}/File`, undefined, { Range: `bytes=${original.length + 10}-` });
    expect(bad.status).toBe(416);
    expect(bad.headers.get('content-range')).toBe(`bytes */${original.length}`);
  });

  it('marks the item Synced on Transferred and completes the job', async () => {
    expect((await f.admin.req('POST', `/Sync/JobItems/${jobItemId}/Transferred`)).status).toBe(204);
    const job = await f.admin.json('GET', `/Sync/Jobs/${jobId}`);
    expect(job).toMatchObject({ Status: 'Completed', Progress: 100, ItemCount: 1 });
    const items = await f.admin.json('GET', `/Sync/JobItems?JobId=${jobId}`);
    expect(items.Items[0]).toMatchObject({ Status: 'Synced', Progress: 100 });
    // Ready no longer lists it.
    expect(await f.admin.json('GET', `/Sync/Items/Ready?TargetId=${T}`)).toEqual([]);
  });

  it('keeps it on Sync/Data and tells which offline users may see it', async () => {
    const res = await f.admin.json('POST', '/Sync/Data', {
      TargetId: T,
      LocalItemIds: [f.ids['Direct Movie'], 'ffffffffffffffffffffffffffffffff'],
      OfflineUserIds: [f.admin.userId],
    });
    expect(res.ItemIdsToRemove).toEqual(['ffffffffffffffffffffffffffffffff']);
    expect(res.ItemUserAccess).toEqual({ [f.ids['Direct Movie']]: [f.admin.userId] });
  });

  it('shows the sync state on the item with Fields=SyncInfo for the calling device', async () => {
    const item = await f.admin.json('GET', `/Users/${f.admin.userId}/Items/${f.ids['Direct Movie']}?Fields=SyncInfo`);
    expect(item).toMatchObject({ SupportsSync: true, HasSyncJob: true, IsSynced: true, SyncPercent: 100, SyncStatus: 'Synced' });
  });

  it('cancels the job: gone from the list, and the device is told to remove the copy', async () => {
    expect((await f.admin.req('DELETE', `/Sync/Jobs/${jobId}`)).status).toBe(204);
    expect((await f.admin.req('GET', `/Sync/Jobs/${jobId}`)).status).toBe(404);
    const res = await f.admin.json('POST', '/Sync/Data', { TargetId: T, LocalItemIds: [f.ids['Direct Movie']] });
    expect(res.ItemIdsToRemove).toEqual([f.ids['Direct Movie']]);
  });
});

describe('UnwatchedOnly with ItemLimit: always the next N unwatched', () => {
  it('removes a watched episode on Sync/Data and queues the next one', async () => {
    const created = await f.admin.json('POST', '/Sync/Jobs', {
      TargetId: T,
      ItemIds: [f.ids['Test Show']],
      UnwatchedOnly: 'true',
      ItemLimit: '2',
    });
    expect(created.Job.Name).toBe('Test Show');
    expect(created.Job.SyncNewContent).toBe(true);
    expect(created.JobItems.map((i: any) => i.ItemName)).toEqual(['S1, E1 - Pilot', 'S1, E2 - Second']);
    for (const ji of created.JobItems) {
      await f.admin.req('GET', `/Sync/JobItems/${ji.Id}/File`).then((r) => r.arrayBuffer());
      await f.admin.req('POST', `/Sync/JobItems/${ji.Id}/Transferred`);
    }
    // Watch episode 1.
    await f.admin.json('POST', `/Users/${f.admin.userId}/PlayedItems/${f.ids['Pilot']}`);
    const local = [f.ids['Pilot'], f.ids['Second']];
    const first = await f.admin.json('POST', '/Sync/Data', { TargetId: T, LocalItemIds: local });
    expect(first.ItemIdsToRemove).toEqual([f.ids['Pilot']]);
    // The device deleted it and reports again: the slot frees, episode 3 arrives.
    await f.admin.json('POST', '/Sync/Data', { TargetId: T, LocalItemIds: [f.ids['Second']] });
    const items = await f.admin.json('GET', `/Sync/JobItems?JobId=${created.Job.Id}`);
    const byName = Object.fromEntries(items.Items.map((i: any) => [i.ItemName, i.Status]));
    expect(byName).toEqual({ 'S1, E1 - Pilot': 'RemovedFromDevice', 'S1, E2 - Second': 'Synced', 'S1, E3 - Third': 'ReadyToTransfer' });
    const ready = await f.admin.json('GET', `/Sync/Items/Ready?TargetId=${T}`);
    expect(ready.map((r: any) => r.Item.Name)).toEqual(['Third']);
    await f.admin.req('DELETE', `/Sync/Jobs/${created.Job.Id}`);
  });
});

describe('duplicates and validation', () => {
  it('keeps one active item per library item and target across jobs', async () => {
    const a = await f.admin.json('POST', '/Sync/Jobs', { TargetId: T, ItemIds: f.ids['Direct Movie'] });
    const b = await f.admin.json('POST', '/Sync/Jobs', { TargetId: T, ItemIds: f.ids['Direct Movie'] });
    expect(a.JobItems[0].Status).toBe('ReadyToTransfer');
    expect(b.JobItems[0].Status).toBe('Cancelled');
    // When the first job goes, the second one's item takes over on its own.
    await f.admin.req('DELETE', `/Sync/Jobs/${a.Job.Id}`);
    const items = await f.admin.json('GET', `/Sync/JobItems?JobId=${b.Job.Id}`);
    expect(items.Items[0].Status).toBe('ReadyToTransfer');
    await f.admin.req('DELETE', `/Sync/Jobs/${b.Job.Id}`);
  });

  it('rejects bad requests with 400 JSON and writes nothing', async () => {
    const before = (await f.admin.json('GET', '/Sync/Jobs')).TotalRecordCount;
    const cases: Array<[unknown, number]> = [
      [{ ItemIds: f.ids['Direct Movie'] }, 400],
      [{ TargetId: 'not-mine', ItemIds: f.ids['Direct Movie'] }, 400],
      [{ TargetId: T }, 400],
      [{ TargetId: T, ItemIds: 'ffffffffffffffffffffffffffffffff' }, 400],
      [{ TargetId: T, ItemIds: 'nonsense' }, 400],
      [{ TargetId: T, ItemIds: f.ids['Direct Movie'], Quality: 'ultra' }, 400],
      [{ TargetId: T, ItemIds: f.ids['Direct Movie'], ItemLimit: 0 }, 400],
      [{ TargetId: T, ItemIds: f.ids['Direct Movie'], ItemLimit: 'many' }, 400],
      [{ TargetId: T, Category: 'Sideways' }, 400],
    ];
    for (const [body, status] of cases) {
      const res = await f.admin.req('POST', '/Sync/Jobs', body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect((await res.json()).message).toBeTruthy();
    }
    expect((await f.admin.json('GET', '/Sync/Jobs')).TotalRecordCount).toBe(before);
  });

  it('names a category job after the category and its parent', async () => {
    const views = await f.admin.json('GET', `/Users/${f.admin.userId}/Views`);
    const movies = views.Items.find((v: any) => v.CollectionType === 'movies');
    const res = await f.admin.json('POST', '/Sync/Jobs', { TargetId: T, Category: 'latest', ParentId: movies.Id });
    expect(res.Job.Name).toBe(`Latest – ${movies.Name}`);
    expect(res.Job.Category).toBe('Latest');
    expect(res.Job.SyncNewContent).toBe(true);
    expect(res.JobItems.map((i: any) => i.ItemName).sort()).toEqual(['Direct Movie', 'Remux Movie']);
    await f.admin.req('DELETE', `/Sync/Jobs/${res.Job.Id}`);
  });
});

describe('offline actions', () => {
  it('applies a play once even when posted twice', async () => {
    const action = { Id: 'act-1', UserId: f.admin.userId, ItemId: f.ids['Third'], Type: 'PlayedItem', Date: new Date().toISOString() };
    expect((await f.admin.req('POST', '/Sync/OfflineActions', [action])).status).toBe(204);
    expect((await f.admin.req('POST', '/Sync/OfflineActions', [action])).status).toBe(204);
    const item = await f.admin.json('GET', `/Users/${f.admin.userId}/Items/${f.ids['Third']}`);
    expect(item.UserData).toMatchObject({ Played: true, PlayCount: 1 });
  });

  it('refuses an unknown action type and a user not on this device', async () => {
    const base = { Id: 'x', ItemId: f.ids['Third'], Date: new Date().toISOString() };
    expect((await f.admin.req('POST', '/Sync/OfflineActions', [{ ...base, Type: 'Rated' }])).status).toBe(400);
    const eve = await createUser(f.server.url, f.admin, 'eve');
    expect((await eve.req('POST', '/Sync/OfflineActions', [{ ...base, Id: 'y', Type: 'PlayedItem', UserId: f.admin.userId }])).status).toBe(
      403,
    );
  });

  it('refuses a position beyond the tick range with a 400, like every other position the server takes', async () => {
    const action = { Id: 'far', ItemId: f.ids['Third'], Type: 'PlayedItem', Date: new Date().toISOString(), PositionTicks: 1e300 };
    const res = await f.admin.req('POST', '/Sync/OfflineActions', [action]);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'BadRequest' });
    // Refused as a whole: the action Id was not used up, so a corrected resend still applies.
    const fixed = { ...action, PositionTicks: 12.4 };
    expect((await f.admin.req('POST', '/Sync/OfflineActions', [fixed])).status).toBe(204);
  });
});
