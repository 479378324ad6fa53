/** Issue 15 §5: removing a device takes its sync jobs with it — only the remover's, when others share it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signIn } from '../../helpers/server.js';
import { startSyncFixture, type SyncFixture } from './fixture.js';

let f: SyncFixture;
beforeAll(async () => {
  f = await startSyncFixture();
});
afterAll(() => f.server.close());

describe('removing a device', () => {
  it('cancels only the remover’s jobs on a shared device; an administrator’s removal cancels every job on it', async () => {
    await createUser(f.server.url, f.admin, 'ann');
    await createUser(f.server.url, f.admin, 'bob');
    const ann = await signIn(f.server.url, 'ann', 'pw', 'family-tablet');
    const bob = await signIn(f.server.url, 'bob', 'pw', 'family-tablet');
    await f.reportTarget(ann);
    const annJob = (await ann.json('POST', '/Sync/Jobs', { TargetId: 'family-tablet', ItemIds: f.ids['Direct Movie'] })).Job.Id;
    const bobJob = (await bob.json('POST', '/Sync/Jobs', { TargetId: 'family-tablet', ItemIds: f.ids['Pilot'] })).Job.Id;

    expect((await ann.req('DELETE', '/Devices?Id=family-tablet')).status).toBe(204);
    expect((await f.admin.req('GET', `/Sync/Jobs/${annJob}`)).status).toBe(404);
    expect((await bob.req('GET', `/Sync/Jobs/${bobJob}`)).status).toBe(200);

    expect((await f.admin.req('DELETE', '/Devices?Id=family-tablet')).status).toBe(204);
    expect((await f.admin.req('GET', `/Sync/Jobs/${bobJob}`)).status).toBe(404);
  });
});
