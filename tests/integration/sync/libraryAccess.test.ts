/**
 * Library access and sync on a shared device (issue 9): a child limited to TV Shows cannot sync a movie,
 * `POST /Sync/Data` tells per item which offline users may see it, and a view taken away removes the
 * child's own copies from it (API.md §5.10 "access was lost").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signIn, type Session } from '../../helpers/server.js';
import { startSyncFixture, type SyncFixture } from './fixture.js';

let f: SyncFixture;
let parent: Session;
let child: Session;
const T = 'family-tablet';

const transfer = async (s: Session, jobItems: Array<{ Id: string }>) => {
  for (const ji of jobItems) {
    await s.req('GET', `/Sync/JobItems/${ji.Id}/File`).then((r) => r.arrayBuffer());
    expect((await s.req('POST', `/Sync/JobItems/${ji.Id}/Transferred`)).status).toBe(204);
  }
};

beforeAll(async () => {
  f = await startSyncFixture();
  await createUser(f.server.url, f.admin, 'parent');
  await createUser(f.server.url, f.admin, 'child', 'pw', { EnableAllFolders: false, EnabledFolders: [f.ids['TV Shows']] });
  // Both sign in on the one tablet.
  parent = await signIn(f.server.url, 'parent', 'pw', T);
  child = await signIn(f.server.url, 'child', 'pw', T);
  await f.reportTarget(parent);
  await f.reportTarget(child);
});
afterAll(() => f.server.close());

describe('sync jobs of a user limited to TV Shows', () => {
  it('offers only what the user sees', async () => {
    expect((await child.json('GET', '/Sync/Targets')).map((t: { Id: string }) => t.Id)).toEqual([T]);
    const episode = await child.json('GET', `/Users/${child.userId}/Items/${f.ids['Pilot']}`);
    expect(episode.SupportsSync).toBe(true);
    expect((await child.req('GET', `/Users/${child.userId}/Items/${f.ids['Direct Movie']}`)).status).toBe(404);
  });

  it('refuses a job for a movie or for the hidden view as an unknown item', async () => {
    const movie = await child.req('POST', '/Sync/Jobs', { TargetId: T, ItemIds: f.ids['Direct Movie'], Quality: 'High' });
    expect(movie.status).toBe(400);
    const view = await child.req('POST', '/Sync/Jobs', { TargetId: T, ItemIds: f.ids['Movies'], Quality: 'High' });
    expect(view.status).toBe(400);
    expect((await child.json('GET', `/Sync/Jobs?TargetId=${T}`)).Items).toEqual([]);
  });

  it('syncs from the visible view, and a whole-library category stays inside it', async () => {
    const tv = await child.json('POST', '/Sync/Jobs', { TargetId: T, ItemIds: f.ids['TV Shows'], Quality: 'Original' });
    expect(tv.JobItems.map((i: { ItemName: string }) => i.ItemName)).toEqual(['S1, E1 - Pilot', 'S1, E2 - Second', 'S1, E3 - Third']);
    expect((await child.req('DELETE', `/Sync/Jobs/${tv.Job.Id}`)).status).toBe(204);
    const latest = await child.json('POST', '/Sync/Jobs', { TargetId: T, Category: 'Latest', Quality: 'Original' });
    expect(latest.JobItems.length).toBeGreaterThan(0);
    expect(latest.JobItems.every((i: { ItemId: string }) => [f.ids['Pilot'], f.ids['Second'], f.ids['Third']].includes(i.ItemId))).toBe(
      true,
    );
    expect((await child.req('DELETE', `/Sync/Jobs/${latest.Job.Id}`)).status).toBe(204);
  });
});

describe('POST /Sync/Data on the shared tablet', () => {
  it('lists only the parent for a movie and both for an episode', async () => {
    const movie = await parent.json('POST', '/Sync/Jobs', { TargetId: T, ItemIds: f.ids['Direct Movie'], Quality: 'Original' });
    const episode = await child.json('POST', '/Sync/Jobs', { TargetId: T, ItemIds: f.ids['Pilot'], Quality: 'Original' });
    await transfer(parent, movie.JobItems);
    await transfer(child, episode.JobItems);
    const local = [f.ids['Direct Movie'], f.ids['Pilot']];
    const res = await parent.json('POST', '/Sync/Data', {
      TargetId: T,
      LocalItemIds: local,
      OfflineUserIds: [parent.userId, child.userId],
    });
    expect(res.ItemIdsToRemove).toEqual([]);
    expect(res.ItemUserAccess).toEqual({
      [f.ids['Direct Movie']]: [parent.userId],
      [f.ids['Pilot']]: [child.userId, parent.userId].sort(),
    });
    // Through the child's session the movie the child may not see is left alone: not removed, not listed.
    const viaChild = await child.json('POST', '/Sync/Data', {
      TargetId: T,
      LocalItemIds: local,
      OfflineUserIds: [parent.userId, child.userId],
    });
    expect(viaChild.ItemIdsToRemove).toEqual([]);
    expect(viaChild.ItemUserAccess).toEqual({ [f.ids['Pilot']]: [child.userId, parent.userId].sort() });
  });

  it('removes the child’s own copies from a view the child lost, and keeps the parent’s', async () => {
    const policy = await f.admin.req('POST', `/Users/${child.userId}/Policy`, {
      EnableAllFolders: false,
      EnabledFolders: [f.ids['Movies']],
    });
    expect(policy.status).toBe(204);
    const local = [f.ids['Direct Movie'], f.ids['Pilot']];
    const res = await parent.json('POST', '/Sync/Data', {
      TargetId: T,
      LocalItemIds: local,
      OfflineUserIds: [parent.userId, child.userId],
    });
    expect(res.ItemIdsToRemove).toEqual([f.ids['Pilot']]);
    // The movie now shows to the child too.
    expect(res.ItemUserAccess).toEqual({ [f.ids['Direct Movie']]: [child.userId, parent.userId].sort() });
    const items = await f.admin.json('GET', `/Sync/JobItems?TargetId=${T}&UserId=${child.userId}`);
    const pilot = items.Items.find((i: { ItemId: string }) => i.ItemId === f.ids['Pilot']);
    expect(pilot).toMatchObject({ IsMarkedForRemoval: true });
    // The device drops it and reports again: the item is gone from the device for good.
    const after = await parent.json('POST', '/Sync/Data', {
      TargetId: T,
      LocalItemIds: [f.ids['Direct Movie']],
      OfflineUserIds: [parent.userId],
    });
    expect(after.ItemIdsToRemove).toEqual([]);
    expect(after.ItemUserAccess).toEqual({ [f.ids['Direct Movie']]: [parent.userId] });
  });
});
