import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../src/server/errors.js';
import { aProfile } from '../builders.js';
import { anItem } from './fakeLibrary.js';
import { anId, aUser, syncHarness, userIdOf } from './fakes.js';

const ALICE = userIdOf('alice');
const CAROL = userIdOf('carol');

const MOVIE = anId(1);
const EPISODE = anId(2);

/** Alice has a movie and an episode Synced on the family tablet; Carol may see the episode only. */
function setup() {
  const h = syncHarness();
  const alice = h.signIn(aUser('alice'), 'tablet', aProfile());
  const carol = h.signIn(aUser('carol'), 'tablet');
  h.lib.add(anItem({ id: MOVIE, name: 'Movie' }), anItem({ id: EPISODE, name: 'Episode', type: 'Episode' }));
  h.lib.hiddenFrom.set(CAROL, new Set([MOVIE]));
  const { JobItems } = h.jobs.createJob(alice, { TargetId: 'tablet', ItemIds: [MOVIE, EPISODE] });
  for (const ji of JobItems) h.store.saveItem({ ...h.store.getItem(ji.Id)!, status: 'Synced', progress: 100 });
  return { h, alice, carol, movie: JobItems[0].Id, episode: JobItems[1].Id };
}

const action = (id: string, userId: string, itemId: string) => ({
  Id: id,
  UserId: userId,
  ItemId: itemId,
  Type: 'PlayedItem',
  Date: '2026-03-01T10:00:00Z',
});

describe('Reconciler.syncData', () => {
  it('keeps what the device holds and lists who may see it; queues again what it lost', () => {
    const { h, alice, episode } = setup();
    const res = h.reconcile.syncData(alice, { TargetId: 'tablet', LocalItemIds: [MOVIE], OfflineUserIds: [ALICE, CAROL] });
    expect(res).toEqual({ ItemIdsToRemove: [], ItemUserAccess: { [MOVIE]: [ALICE] } });
    expect(h.store.getItem(episode)!.status).toBe('ReadyToTransfer');
  });

  it('removes a marked item from the device, then records it RemovedFromDevice', () => {
    const { h, alice, movie } = setup();
    h.store.saveItem({ ...h.store.getItem(movie)!, isMarkedForRemoval: true });
    expect(h.reconcile.syncData(alice, { TargetId: 'tablet', LocalItemIds: [MOVIE, EPISODE] }).ItemIdsToRemove).toEqual([MOVIE]);
    h.reconcile.syncData(alice, { TargetId: 'tablet', LocalItemIds: [EPISODE] });
    expect(h.store.getItem(movie)!.status).toBe('RemovedFromDevice');
  });

  it('through another user of the device, leaves alone what that user may not see', () => {
    const { h, carol, movie } = setup();
    const res = h.reconcile.syncData(carol, { TargetId: 'tablet', LocalItemIds: [MOVIE], OfflineUserIds: [CAROL] });
    expect(res.ItemIdsToRemove).toEqual([]);
    expect(Object.keys(res.ItemUserAccess)).toEqual([]);
    expect(h.store.getItem(movie)!.status).toBe('Synced');
  });
});

describe('Reconciler.offlineActions', () => {
  it('applies a user’s own plays once, however often they are sent', () => {
    const { h, alice } = setup();
    h.reconcile.offlineActions(alice, [action('a1', ALICE, MOVIE)]);
    h.reconcile.offlineActions(alice, [action('a1', ALICE, MOVIE)]);
    expect(h.played).toEqual([{ userId: ALICE, itemId: MOVIE }]);
  });

  it('acts for another user only while they hold a session on the device (or left it lately)', () => {
    const { h, carol } = setup();
    h.reconcile.offlineActions(carol, [action('c1', ALICE, EPISODE)]);
    expect(h.played).toEqual([{ userId: ALICE, itemId: EPISODE }]);
    h.presence.sessions.delete(`${ALICE}@tablet`);
    h.presence.lastSeen.set(`tablet/${ALICE}`, '2025-01-01T00:00:00.000Z');
    expect(() => h.reconcile.offlineActions(carol, [action('c2', ALICE, EPISODE)])).toThrow(DomainError);
    h.presence.lastSeen.set(`tablet/${ALICE}`, '2026-02-25T00:00:00.000Z');
    h.reconcile.offlineActions(carol, [action('c3', ALICE, EPISODE)]);
    expect(h.played).toHaveLength(2);
  });

  it('skips items the caller may not see, even for a user live on the device', () => {
    const { h, carol } = setup();
    h.reconcile.offlineActions(carol, [action('c4', ALICE, MOVIE)]);
    expect(h.played).toEqual([]);
  });
});
