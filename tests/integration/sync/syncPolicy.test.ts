/** Who may sync what (API.md §2 Policy and Access): users keep to their own jobs; EnableSync and EnableSyncTranscoding hold on the server. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../helpers/server.js';
import { startSyncFixture, type SyncFixture } from './fixture.js';

let f: SyncFixture;
beforeAll(async () => {
  f = await startSyncFixture();
});
afterAll(() => f.server.close());

describe('access', () => {
  it('keeps users to their own jobs; admins see all', async () => {
    const ann = await createUser(f.server.url, f.admin, 'ann');
    await f.reportTarget(ann);
    const job = await ann.json('POST', '/Sync/Jobs', { TargetId: ann.deviceId, ItemIds: f.ids['Direct Movie'] });
    const bob = await createUser(f.server.url, f.admin, 'bob');
    expect((await bob.req('GET', `/Sync/Jobs/${job.Job.Id}`)).status).toBe(404);
    expect((await bob.req('DELETE', `/Sync/Jobs/${job.Job.Id}`)).status).toBe(404);
    expect((await bob.req('POST', `/Sync/JobItems/${job.JobItems[0].Id}/Enable`)).status).toBe(404);
    expect((await bob.req('GET', `/Sync/JobItems/${job.JobItems[0].Id}/File`)).status).toBe(404);
    expect((await bob.json('GET', '/Sync/Jobs')).TotalRecordCount).toBe(0);
    expect((await bob.req('GET', `/Sync/Jobs?UserId=${ann.userId}`)).status).toBe(403);
    expect((await bob.req('GET', `/Sync/Items/Ready?TargetId=${ann.deviceId}`)).status).toBe(403);
    expect((await bob.req('POST', '/Sync/Data', { TargetId: ann.deviceId, LocalItemIds: [] })).status).toBe(403);
    const all = await f.admin.json('GET', '/Sync/Jobs');
    expect(all.Items.map((j: any) => j.Id)).toContain(job.Job.Id);
    expect((await f.admin.json('GET', `/Sync/Jobs/${job.Job.Id}`)).UserId).toBe(ann.userId);
    expect((await fetch(`${f.server.url}/Sync/Jobs`)).status).toBe(401);
  });

  it('enforces EnableSync=false on the server: 403 on create, no targets, items not syncable', async () => {
    const cy = await createUser(f.server.url, f.admin, 'cy', 'pw', { EnableSync: false });
    await f.reportTarget(cy);
    expect(await cy.json('GET', '/Sync/Targets')).toEqual([]);
    const res = await cy.req('POST', '/Sync/Jobs', { TargetId: cy.deviceId, ItemIds: f.ids['Direct Movie'] });
    expect(res.status).toBe(403);
    const item = await cy.json('GET', `/Users/${cy.userId}/Items/${f.ids['Direct Movie']}?Fields=SyncInfo`);
    expect(item.SupportsSync).toBe(false);
  });

  it('EnableSyncTranscoding=false offers only Original and refuses other qualities with 403', async () => {
    const dee = await createUser(f.server.url, f.admin, 'dee', 'pw', { EnableSyncTranscoding: false });
    await f.reportTarget(dee);
    const opts = await dee.json('GET', `/Sync/Options?ItemIds=${f.ids['Direct Movie']}&TargetId=${dee.deviceId}`);
    expect(opts.QualityOptions.map((q: any) => [q.Id, q.IsDefault])).toEqual([['original', true]]);
    expect((await dee.req('POST', '/Sync/Jobs', { TargetId: dee.deviceId, ItemIds: f.ids['Direct Movie'], Quality: 'low' })).status).toBe(
      403,
    );
    const ok = await dee.json('POST', '/Sync/Jobs', { TargetId: dee.deviceId, ItemIds: f.ids['Remux Movie'] });
    expect(ok.Job.Quality).toBe('original');
    // Processed as Original: the MKV is served as it is, no conversion.
    expect(ok.JobItems[0].Status).toBe('ReadyToTransfer');
    expect(ok.JobItems[0].OutputPath).toBe('Remux Movie (2021).mkv');
  });
});
