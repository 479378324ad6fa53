/** The sync dialog's server side (API.md §6): targets, the options a selection gets, qualities with size estimates. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSyncFixture, type SyncFixture } from './fixture.js';

let f: SyncFixture;
beforeAll(async () => {
  f = await startSyncFixture();
});
afterAll(() => f.server.close());

const T = 'admin-phone';

describe('targets and options', () => {
  it('lists the signed-in device that reported SupportsSync as a target', async () => {
    const targets = await f.admin.json('GET', '/Sync/Targets');
    expect(targets).toEqual([{ Id: T, Name: 'Test Device' }]);
  });

  it('offers the options and qualities for one movie, with a size estimate per quality', async () => {
    const opts = await f.admin.json('GET', `/Sync/Options?ItemIds=${f.ids['Direct Movie']}&TargetId=${T}`);
    expect(opts.Options).toEqual(['Quality', 'Profile']);
    expect(opts.QualityOptions.map((q: any) => q.Id)).toEqual(['original', 'high', 'medium', 'low', 'custom']);
    expect(opts.QualityOptions.find((q: any) => q.IsDefault).Id).toBe('high');
    expect(opts.QualityOptions[0].EstimatedSize).toBeGreaterThan(1000);
    expect(opts.ProfileOptions).toEqual([]);
  });

  it('offers Name, UnwatchedOnly, SyncNewContent and ItemLimit for a series', async () => {
    const opts = await f.admin.json('GET', `/Sync/Options?ItemIds=${f.ids['Test Show']}`);
    expect(opts.Options).toEqual(expect.arrayContaining(['Quality', 'UnwatchedOnly', 'SyncNewContent', 'ItemLimit']));
    // Without TargetId there are no quality options (API.md §6).
    expect(opts.QualityOptions).toEqual([]);
  });

  it('answers 400 without ItemIds or Category', async () => {
    const res = await f.admin.req('GET', '/Sync/Options');
    expect(res.status).toBe(400);
  });
});
