import { describe, expect, it } from 'vitest';
import { aProfile } from '../builders.js';
import { anItem } from './fakeLibrary.js';
import { anId, aUser, syncHarness, userIdOf } from './fakes.js';

const SHOW = anId(1);
const E1 = anId(2);
const E2 = anId(3);

function setup() {
  const h = syncHarness();
  const alice = h.signIn(aUser('alice'), 'phone', aProfile());
  const e1 = anItem({ id: E1, name: 'E1', type: 'Episode' });
  h.lib.folder(anItem({ id: SHOW, name: 'Show', type: 'Series', isFolder: true }), [e1]);
  const { Job } = h.jobs.createJob(alice, { TargetId: 'phone', ItemIds: [SHOW] });
  const newEpisode = () => {
    h.lib.add(anItem({ id: E2, name: 'E2', type: 'Episode' }));
    h.lib.children.set(SHOW, [E1, E2]);
  };
  return { h, jobId: Job.Id, newEpisode };
}

const itemIds = (h: ReturnType<typeof syncHarness>, jobId: string) => h.store.itemsOfJob(jobId).map((i) => i.itemId);

describe('RefreshScheduler', () => {
  it('adds a SyncNewContent job’s new items on a refresh', () => {
    const { h, jobId, newEpisode } = setup();
    newEpisode();
    h.refresh.refresh();
    expect(itemIds(h, jobId)).toEqual([E1, E2]);
  });

  it('re-expands on Items/Ready only after a change was announced, or a minute later', () => {
    const { h, jobId, newEpisode } = setup();
    h.refresh.refreshTargetIfStale('phone');
    newEpisode();
    h.refresh.refreshTargetIfStale('phone');
    expect(itemIds(h, jobId)).toEqual([E1]);
    h.refresh.markChanged();
    h.refresh.refreshTargetIfStale('phone');
    expect(itemIds(h, jobId)).toEqual([E1, E2]);
  });

  it('cancels the jobs of a deleted user', () => {
    const { h, jobId } = setup();
    h.users.delete(userIdOf('alice'));
    h.refresh.refresh();
    expect(h.store.getJob(jobId)).toBeUndefined();
  });

  it('fails items not yet on the device when their library item leaves, and leaves Synced ones to Sync/Data', () => {
    const { h, jobId } = setup();
    const [item] = h.store.itemsOfJob(jobId);
    h.refresh.libraryItemsRemoved([E1]);
    expect(h.store.getItem(item.id)).toMatchObject({ status: 'Failed', errorMessage: 'The item is no longer in the library' });
  });
});
